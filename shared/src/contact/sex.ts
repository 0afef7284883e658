/** R1: the sexes a contact may be recorded with (a module of its own: the row schemas need it without the phone library). */
export const SEXES = ['female', 'male', 'other', 'unknown'] as const;
export type Sex = (typeof SEXES)[number];
