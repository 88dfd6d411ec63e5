// Calendar days in the Netherlands (Europe/Amsterdam), as `YYYY-MM-DD`: the annual report counts
// per Dutch calendar year and quarter, and the statistics rows that retention keeps are rounded
// to the day. Differences between days are whole days.
const FORMAT = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit' });

export function dayOf(d: Date | string): string {
  return FORMAT.format(new Date(d));
}

export const yearOfDay = (day: string): number => Number(day.slice(0, 4));

/** 1–4 */
export const quarterOfDay = (day: string): number => Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1;

export function daysBetween(fromDay: string, toDay: string): number {
  return Math.round((Date.parse(`${toDay}T00:00:00Z`) - Date.parse(`${fromDay}T00:00:00Z`)) / 86400_000);
}
