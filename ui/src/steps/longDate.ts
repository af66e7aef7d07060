/** A date for people, in words: "7 March 2027" (in the user's locale). */
export function longDate(rfc3339: string): string {
  return new Date(rfc3339).toLocaleDateString(undefined, { year: "numeric", month: "long", day: "numeric" });
}
