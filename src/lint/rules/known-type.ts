/** `lint.unknown-type`: the detection type is one ESCU knows. The YAML loader already rejects others; this guards detections built in code. */
import { DETECTION_TYPES } from '../../content/index.js';
import type { Rule } from '../types.js';

export const knownTypeRule: Rule = {
  severity: 'error',
  description: `The detection type must be one of ${DETECTION_TYPES.join(', ')}.`,
  check({ detection }) {
    if ((DETECTION_TYPES as readonly string[]).includes(detection.type)) return [];
    return [{ message: `unknown detection type "${detection.type}"; expected one of ${DETECTION_TYPES.join(', ')}`, at: { yamlPath: ['type'] } }];
  },
};
