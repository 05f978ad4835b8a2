/** `lint.spl`: the search's SPL errors (syntax, unknown and unsupported commands, planning errors), with their SPL codes. */
import type { SplError } from '../../spl/language/errors.js';
import type { Finding, Rule } from '../types.js';
import { isSplunkAggregation } from './unknown-function.js';

/** CIM data model names (Splunk_SA_CIM 5.x/6.x): a `datamodel=` naming one of these is real Splunk, just not run here. */
const CIM_MODELS = new Set([
  'Alerts', 'Application_State', 'Authentication', 'Certificates', 'Change', 'Change_Analysis', 'Compute_Inventory', 'Data_Access',
  'Databases', 'DLP', 'Email', 'Endpoint', 'Event_Signatures', 'Interprocess_Messaging', 'Intrusion_Detection', 'Inventory', 'JVM',
  'Malware', 'Network_Resolution', 'Network_Sessions', 'Network_Traffic', 'Performance', 'Risk', 'Splunk_Audit', 'Splunk_CIM_Validation',
  'Ticket_Management', 'Updates', 'Vulnerabilities', 'Web', 'Endpoint_Changes', 'Endpoint_Processes', 'Cloud_Infrastructure',
]);

function finding(err: SplError, severity: 'error' | 'warning', code = err.code): Finding {
  return {
    code,
    severity,
    message: err.message + (err.extra.suggestion ? ` (did you mean "${err.extra.suggestion}"?)` : ''),
    at: { span: err.span },
  };
}

export const splRule: Rule = {
  severity: 'error',
  description: 'The search must parse and plan: syntax errors, unknown commands and planning errors; commands and data models Splunk has but spelunk does not run are warnings.',
  check({ analysis }) {
    const out: Finding[] = [];
    const e = analysis.expansionError;
    // Unknown macros are the unknown-macro rule's, which reports all of them.
    if (e && e.code !== 'spl.unknown-macro') out.push(finding(e, 'error'));
    for (const c of analysis.commands) {
      if (!c.error) continue;
      out.push(finding(c.error, c.error.code === 'spl.unsupported-command' ? 'warning' : 'error'));
    }
    const ce = analysis.compileError;
    if (ce) {
      if (ce.code === 'spl.unknown-function') {
        // reported, with every other unknown function, by the unknown-function rule
      } else if (ce.code === 'spl.unknown-datamodel') {
        const model = /"([^"]*)"/.exec(ce.message)?.[1]?.split('.')[0] ?? '';
        out.push(CIM_MODELS.has(model) ? { ...finding(ce, 'warning', 'spl.unsupported-datamodel'), message: `the ${model} data model is not supported yet` } : finding(ce, 'error'));
      } else if (ce.code === 'spl.unknown-aggregation') {
        const fn = /"([^"]*)"/.exec(ce.message)?.[1] ?? '';
        out.push(isSplunkAggregation(fn) ? { ...finding(ce, 'warning', 'spl.unsupported-aggregation'), message: `the ${fn} aggregation is not supported yet` } : finding(ce, 'error'));
      } else {
        out.push(finding(ce, ce.code.startsWith('spl.unsupported') ? 'warning' : 'error'));
      }
    }
    return out;
  },
};
