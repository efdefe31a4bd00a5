import { parseDocument } from 'yaml';
import { validateText } from './src/core/validate';
const d = parseDocument('projects:\n  __proto__:\n    role: security\n  b: 1\n');
const v = d.toJS() as any;
console.log(Object.keys(v.projects), Object.getPrototypeOf(v.projects) === Object.prototype);
const ex = require('fs').readFileSync('examples/landing-zone.yaml', 'utf8').replace(/^  dev:/m, '  __proto__:');
const r = validateText(ex);
console.log(r.issues.map((i) => i.ruleId + ' ' + i.message.slice(0, 100)), r.model ? Object.keys(r.model.spec.projects) : 'no model');
