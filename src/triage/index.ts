export { ContextCollector, emptyContext, type AlertContext, type ExchangeCheckSummary, type AppError, type ContextItem, type FileWrite, type ProcessRef } from './context.js';
export { ProcessIndex, type ProcessNode } from './process-index.js';
export { ParentRebuilder, type RebuiltParent } from './rebuild-parents.js';
