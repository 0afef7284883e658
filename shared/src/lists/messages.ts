import * as v from 'valibot';
import { isUuidV4 } from '../core/ids.js';
import { RoundPlanSchema } from './round.js';
import { SignedSummarySchema } from './summary.js';

/**
 * The peer messages of a list negotiation (PROTOCOL.md §7.7), spread into the peer message union
 * (peer/protocol.ts) as one block. A pair is named by `pairId`, a UUID v4 the proposing side draws.
 */
/** Numbers per `assign-statement` frame, all arrays together: 4,000 × ≤ 8 characters < 64 KiB. */
export const STATEMENT_BATCH = 4000;
/** More keys than any contact has (match keys v1 give a handful): a longer link is refused. */
export const MAX_LINK = 64;

const PairId = v.pipe(v.string(), v.check(isUuidV4, 'a pair id'));
/** Most agreed pairs one side names in `assign-held` (its newest); older ones are not compared. */
export const MAX_HELD_PAIRS = 1000;
const HeldPairs = v.pipe(
  v.array(v.strictObject({ roundId: v.pipe(v.string(), v.maxLength(64)), checkId: v.pipe(v.string(), v.minLength(1), v.maxLength(64)) })),
  v.maxLength(MAX_HELD_PAIRS),
);
const Position = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(2_000_000));
const Positions = v.pipe(v.array(Position), v.maxLength(STATEMENT_BATCH));

export const ASSIGN_MESSAGE_SCHEMAS = [
  // The proposing side (the pair's first participant in a round) sends the plan and which pair this is.
  v.strictObject({ type: v.literal('assign-propose'), pairId: PairId, plan: RoundPlanSchema, pair: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(200)) }),
  v.strictObject({ type: v.literal('assign-accept'), pairId: PairId }),
  v.strictObject({ type: v.literal('assign-decline'), pairId: PairId }),
  // After the pair's psi-v2 check: this side's statement (§7.2), in frames; `capacity` the same on each.
  v.pipe(
    v.strictObject({
      type: v.literal('assign-statement'),
      pairId: PairId,
      links: v.pipe(v.array(v.pipe(v.array(Position), v.minLength(2), v.maxLength(MAX_LINK))), v.maxLength(STATEMENT_BATCH)),
      serving: Positions,
      bound: Positions,
      capacity: v.nullable(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(2_000_000))),
      last: v.boolean(),
    }),
    v.check((m) => m.links.reduce((n, l) => n + l.length, 0) + m.serving.length + m.bound.length <= STATEMENT_BATCH, 'too many positions in one frame'),
  ),
  v.strictObject({ type: v.literal('assign-summary'), pairId: PairId, signed: SignedSummarySchema }),
  // Sent once the partner's summary verified; a side stores the pair only with both (§7.4).
  v.strictObject({ type: v.literal('assign-commit'), pairId: PairId }),
  // When a session opens (§7.8): the pairs this side stored as agreed with the partner, and the
  // partner's answer naming those of them it does not hold, which the first side then undoes.
  v.strictObject({ type: v.literal('assign-held'), pairs: HeldPairs }),
  v.strictObject({ type: v.literal('assign-lacking'), pairs: HeldPairs }),
] as const;
