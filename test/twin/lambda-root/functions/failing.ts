/** Fails every time, as a function does whose dependency is down. */
export async function handler(): Promise<never> {
  throw new Error('the dependency is down');
}
