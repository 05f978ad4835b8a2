/**
 * `lint.case-sensitive-where`: `where`/`eval` comparisons are case-sensitive,
 * unlike the search language, so `where f="UMService.exe"` misses `umservice.exe`.
 */
import type { EvalExpr } from '../../spl/language/ast.js';
import { toSource, walkEval } from '../analyze.js';
import type { Finding, Rule } from '../types.js';

const hasUpper = (e: EvalExpr): e is Extract<EvalExpr, { kind: 'string' }> => e.kind === 'string' && /[A-Z]/.test(e.value);
const isLiteral = (e: EvalExpr): boolean => e.kind === 'string' || e.kind === 'number' || e.kind === 'boolean';

export const caseSensitiveWhereRule: Rule = {
  severity: 'warning',
  description: 'where comparisons (=, ==, !=, IN) against a literal with upper-case letters are case-sensitive.',
  check({ analysis }) {
    const out: Finding[] = [];
    for (const c of analysis.commands) {
      if (c.ast?.kind !== 'where') continue;
      for (const e of walkEval(c.ast.expr)) {
        let literal: Extract<EvalExpr, { kind: 'string' }> | undefined;
        let other: EvalExpr | undefined;
        if (e.kind === 'binary' && (e.op === '=' || e.op === '==' || e.op === '!=')) {
          if (hasUpper(e.right) && !isLiteral(e.left)) [literal, other] = [e.right, e.left];
          else if (hasUpper(e.left) && !isLiteral(e.right)) [literal, other] = [e.left, e.right];
        } else if (e.kind === 'in' && !isLiteral(e.expr)) {
          literal = e.values.find(hasUpper);
          other = e.expr;
        }
        if (!literal || !other) continue;
        // lower(x)="ABC" can never match: still case trouble, same advice.
        const subject = other.kind === 'field' ? other.name : 'the value';
        out.push({
          message: `where compares case-sensitively: "${literal.value}" does not match ${subject} written in another case`,
          at: { span: toSource(analysis, literal.span) },
          hint: `compare lower(${subject})="${literal.value.toLowerCase()}", or use like()/match() with (?i)`,
        });
      }
    }
    return out;
  },
};
