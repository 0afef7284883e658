// The chunk lazyStrictVerify loads (strict-verify.ts).
export { strictVerify } from '@ihyid/shared';
