/**
 * D4's round logic (plans, pair order, reports), which only a store's writes need: lists.ts loads this
 * module before it opens a transaction, so that neither it nor SHA-256 is part of the first paint
 * (#12 item 9).
 */
export { makeRoundPlan, nextPair, pairCounts, planHash, reportRound, roundPairs } from '@ihyid/shared';
