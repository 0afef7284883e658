import { aliasVariants, type ContactAlias, type PhoneticIdV0 } from '@ihyid/shared';
import type { DomainWorker } from '../../workers/client';
import type { ContactKeyInput } from '../../workers/domain.worker';

/**
 * R8, R9: the phonetic id of a record and the match keys and blocking terms of it and of each of its
 * aliases (the other spellings merges left), in one worker call. An edit or a merge recomputes keys
 * this way, so a later registration under another spelling still finds the contact.
 */
export async function keysWithAliases(
  worker: DomainWorker,
  record: ContactKeyInput,
  aliases: readonly ContactAlias[] | undefined,
): Promise<{ phoneticIdV0: PhoneticIdV0 | null; matchKeys: string[]; blockingTerms: string[] }> {
  const [own, ...others] = await worker.contactKeys([record, ...aliasVariants(record, aliases)]);
  const all = [own, ...others];
  const matchKeys = [...new Set(all.flatMap((k) => k?.matchKeys ?? []))];
  const blockingTerms = [...new Set(all.flatMap((k) => k?.blockingTerms ?? []))];
  return { phoneticIdV0: (own?.phoneticIdV0 ?? null) as PhoneticIdV0 | null, matchKeys, blockingTerms };
}
