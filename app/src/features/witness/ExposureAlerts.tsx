import type { Exposure } from './db';

/** W6: one alert per day of exposure. The day is shown, never the hour (the device does not keep it). */
export function ExposureAlerts({ exposures, onDismiss }: { exposures: readonly Exposure[]; onDismiss(id: number): void }) {
  if (exposures.length === 0) return null;
  return (
    <>
      {exposures.map((exposure) => (
        <div key={exposure.id} className="warning" role="alert">
          <h2>
            Possible exposure on <time dateTime={exposure.day}>{formatDay(exposure.day)}</time>
          </h2>
          <p>
            Someone you were near on that day has since declared a positive test. Nobody, including the server, knows that
            this alert reached you.
          </p>
          <p>What to do:</p>
          <ul>
            <li>Watch for symptoms for the next days, and take a test if one is available.</li>
            <li>Wear a mask near others, and avoid contact with people at risk.</li>
            <li>Follow your organisation's health guidance, and tell your supervisor if you fall ill.</li>
          </ul>
          <button type="button" className="secondary" onClick={() => exposure.id !== undefined && onDismiss(exposure.id)}>
            Dismiss this alert
          </button>
        </div>
      ))}
    </>
  );
}

/** 'YYYY-MM-DD' as a long date in the reader's language, read as a calendar day (no time zone shift). */
export function formatDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  const date = new Date(Date.UTC(y!, m! - 1, d!));
  return new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(date);
}
