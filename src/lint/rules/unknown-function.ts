/** `lint.unknown-function`: eval functions that Splunk does not have (error) or spelunk does not run yet (warning). */
import { closest } from '../../spl/language/errors.js';
import { EVAL_FUNCTIONS, lookupFunction } from '../../spl/eval/functions.js';
import { evalExprs, toSource, walkEval } from '../analyze.js';
import type { Finding, Rule } from '../types.js';

/** Splunk's eval functions (Splunk 9 Search Reference, "Evaluation functions"). */
const SPLUNK_EVAL_FUNCTIONS = new Set(
  (
    'abs acos acosh asin asinh atan atan2 atanh bit_and bit_or bit_not bit_xor bit_shift_left bit_shift_right case cidrmatch ceiling ceil ' +
    'coalesce commands cos cosh exact exp false floor hypot if in ipmask isarray isbool isdouble isint isnotnull isnull isnum isobject isstr ' +
    'json_append json_array json_array_to_mv json_delete json_entries json_extend json_extract json_extract_exact json_has_key_exact json_keys ' +
    'json_object json_set json_set_exact json_valid len like ln log lookup lower ltrim match max md5 min mvappend mvcount mvdedup mvfilter ' +
    'mvfind mvindex mvjoin mvmap mvrange mvsort mvzip mv_to_json_array now null nullif pi pow printf random relative_time replace round rtrim ' +
    'searchmatch sha1 sha256 sha512 sigfig sin sinh spath split sqrt strftime strptime substr sum tan tanh time toarray tobool todouble ' +
    'toint tojson tomv tonumber toobject tostring trim true typeof upper url_decode urldecode validate avg ipmask'
  ).split(' '),
);

const SPLUNK_AGGREGATIONS = new Set(
  (
    'avg c count dc distinct_count earliest earliest_time estdc estdc_error exactperc first last latest latest_time list max mean median ' +
    'min mode p perc range rate rate_avg rate_sum stdev stdevp sum sumsq upperperc values var varp'
  ).split(' '),
);

/** Whether `fn` (`perc95`, `values`) is one of Splunk's stats functions. */
export function isSplunkAggregation(fn: string): boolean {
  return SPLUNK_AGGREGATIONS.has(fn.toLowerCase().replace(/^(perc|p|exactperc|upperperc)\d+(\.\d+)?$/, '$1'));
}

export const unknownFunctionRule: Rule = {
  severity: 'error',
  description: 'Eval functions must exist in Splunk; those spelunk lacks are reported as unsupported.',
  check({ analysis }) {
    const out: Finding[] = [];
    for (const { expr } of evalExprs(analysis)) {
      for (const e of walkEval(expr)) {
        if (e.kind !== 'call' || lookupFunction(e.name)) continue;
        const at = { span: toSource(analysis, e.span) };
        if (e.name !== e.name.toLowerCase() && lookupFunction(e.name.toLowerCase())) {
          // ESCU writes CASE(), LIKE(); Splunk accepts them, spelunk's names are lower case.
          out.push({ code: 'spl.unsupported-function', severity: 'warning', message: `spelunk knows ${e.name}() only as ${e.name.toLowerCase()}()`, at, hint: `write ${e.name.toLowerCase()}()` });
        } else if (SPLUNK_EVAL_FUNCTIONS.has(e.name.toLowerCase())) {
          out.push({ code: 'spl.unsupported-function', severity: 'warning', message: `the eval function ${e.name}() is not supported yet`, at });
        } else {
          const suggestion = closest(e.name, [...Object.keys(EVAL_FUNCTIONS), ...SPLUNK_EVAL_FUNCTIONS]);
          out.push({
            message: `unknown eval function ${e.name}()${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
            at,
            ...(suggestion ? { hint: `did you mean ${suggestion}()?` } : {}),
          });
        }
      }
    }
    return out;
  },
};
