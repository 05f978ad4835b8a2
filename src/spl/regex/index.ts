export { compilePcre, groupValue, namedGroups } from './pcre.js';
export type { CompiledPcre, PcreError, PcreErrorCode, PcreResult } from './pcre.js';
export { applySed, compileSed, expandReplacement, pcreReplace, sedReplace } from './sed.js';
export type { SedError, SedErrorCode, SedProgram } from './sed.js';
