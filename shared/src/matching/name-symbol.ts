/** One phonetic symbol of a name key (name-key.ts), shared by the Latin and Arabic tokenisers. */
export type NameSymbol = string;
