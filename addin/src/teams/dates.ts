/** Today in London, "YYYY-MM-DD". */
export function londonToday(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** "2026-27" for any date from 1 September 2026 to 31 August 2027. */
export function academicYearOf(isoDate: string): string {
  const [year, month] = isoDate.split('-').map(Number) as [number, number];
  const start = month >= 9 ? year : year - 1;
  return `${start}-${String((start + 1) % 100).padStart(2, '0')}`;
}

export function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Midnight London time at the start of a date, as an instant the API accepts. */
export function londonMidnight(isoDate: string): string {
  const probe = new Date(`${isoDate}T12:00:00Z`);
  const hour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', hourCycle: 'h23' }).format(probe));
  const offset = hour - 12;
  return `${isoDate}T00:00:00${offset >= 0 ? '+' : '-'}${String(Math.abs(offset)).padStart(2, '0')}:00`;
}
