/**
 * Scenario 4's load: `connections` loops, each editing its own draft note with
 * updateNote and the version the previous answer returned, for `duration` seconds
 * after `warmup`. Every answer must be exactly the note with version + 1 and the new
 * summary; anything else (a CONFLICT included) counts as wrong.
 */
export async function writeLoad({ url, token, notes, connections, duration, warmup, query }) {
  const latencies = [];
  let wrong = 0;
  let firstWrong = null;
  let measuring = false;
  let n = 0;
  const stopAt = Date.now() + (warmup + duration) * 1000;
  setTimeout(() => {
    measuring = true;
  }, warmup * 1000);

  async function loop(note) {
    while (Date.now() < stopAt) {
      const summary = `Benchmark summary ${++n}`;
      const expected = JSON.stringify({ data: { updateNote: { id: note.id, version: note.version + 1, summary } } });
      const started = performance.now();
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables: { id: note.id, expectedVersion: note.version, summary } }),
      });
      const body = (await res.text()).trimEnd();
      const took = performance.now() - started;
      const ok = res.status === 200 && body === expected;
      if (ok) note.version += 1;
      else note.version = JSON.parse(body)?.errors?.[0]?.extensions?.currentVersion ?? note.version;
      if (!measuring) continue;
      latencies.push(took);
      if (!ok) {
        wrong += 1;
        firstWrong ??= `${res.status} ${body.slice(0, 300)}`;
      }
    }
  }
  await Promise.all(notes.slice(0, connections).map((note) => loop({ ...note })));
  latencies.sort((a, b) => a - b);
  const at = (q) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
  return { rps: latencies.length / duration, p50: at(0.5), p99: at(0.99), total: latencies.length, failed: wrong, firstWrong };
}
