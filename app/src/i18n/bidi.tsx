import { Fragment, type ReactNode } from 'react';

/**
 * X6: a value (a name, a phone, a number in Latin digits) placed inside a translated sentence keeps
 * its own direction: "mother <bdi>فاطمة</bdi>, phone <bdi>+96170123456</bdi>" never reorders.
 * Pass `slot(i)` to t() for each such value, then `withSlots(text, nodes)` puts the nodes back.
 */
export const slot = (i: number): string => `\uE000${i}\uE001`;

export function withSlots(text: string, nodes: readonly ReactNode[]): ReactNode {
  const parts = text.split(/\uE000(\d+)\uE001/);
  return <>{parts.map((part, i) => (i % 2 === 0 ? part : <Fragment key={i}>{nodes[Number(part)]}</Fragment>))}</>;
}

/** An isolated run; `ltr` for phones and codes, which read left to right in every language. */
export function Bdi({ children, ltr }: { children: ReactNode; ltr?: boolean }) {
  return <bdi dir={ltr ? 'ltr' : undefined}>{children}</bdi>;
}
