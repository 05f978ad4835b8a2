export * from './alerts.js';
export * from './attack.js';
export * from './guidance.js';
export * from './risk.js';
export * from './time.js';
