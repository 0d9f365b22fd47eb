import { catalog } from '../catalog.js';

export function listCommand(json: boolean): number {
  const c = catalog();
  if (json) {
    process.stdout.write(JSON.stringify(c, null, 2) + '\n');
    return 0;
  }
  const out: string[] = ['protocols:'];
  for (const p of c.protocols) out.push(`  ${p.name}${p.services ? ` (services: ${p.services.join(', ')})` : ''}${p.strategies ? ` [explore --strategy ${p.strategies.join('|')}]` : ''}: ${p.description}`);
  out.push('mutants:');
  for (const m of c.mutants) out.push(`  ${m.protocol}${m.service ? `/${m.service}` : ''} ${m.name}: ${m.description}`);
  out.push(`scenarios: ${c.scenarios.join(', ')}`);
  out.push('properties:');
  for (const p of c.properties) out.push(`  ${p.name}: ${p.description}`);
  out.push(`strategies: ${c.strategies.join(', ')}`);
  process.stdout.write(out.join('\n') + '\n');
  return 0;
}
