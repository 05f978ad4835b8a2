/** The sourcetype Splunk gives XmlWinEventLog events (kept apart so dataset modules need not import fields.ts). */
export const SOURCETYPE_NAME = 'XmlWinEventLog';
