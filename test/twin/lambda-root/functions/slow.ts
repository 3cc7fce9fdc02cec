/** Runs for 2 s whatever its timeout: the runtime must cut it. */
export async function handler(): Promise<string> {
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  return 'too late';
}
