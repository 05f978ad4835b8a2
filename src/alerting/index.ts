export * from './alerts.js';
export * from './attack.js';
