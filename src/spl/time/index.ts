export { parseIsoTime, strftime, strptime } from './format.js';
export { parseTimeModifier, relativeTime, resolveTimeModifier } from './relative.js';
export type { TimeModifier, TimeModifierError, TimeStep, TimeUnit } from './relative.js';
export { civilFromEpoch, epochFromCivil, resolveZone, UTC } from './zone.js';
export type { Civil, Zone } from './zone.js';
