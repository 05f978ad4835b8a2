export * from './types.js';
export { parseDetectionYaml, parseTestYaml, dataModelsOfSearch, looksLikeTestFile, type ParseOptions } from './parse.js';
export { loadDetectionFile, loadDetections, loadTestFile, attachTests, yamlFilesUnder } from './detections.js';
export {
  type Macro,
  type MacroTable,
  macroKey,
  parseMacroYaml,
  loadMacroDir,
  loadContentDir,
  mergeMacros,
  filterMacroName,
  lookupMacro,
  builtinMacros,
  builtinDetections,
} from './macros.js';
export { packageRoot, builtinContentDir } from './package-root.js';
export { formatPath } from './yaml-source.js';
export * from './lookups.js';
