/** SendCommand's input as AWS-RunShellScript takes it: the target instances and the script's parameters. */
import { findInstance, type TwinInstance, type TwinWorld } from '../../state.js';
import { isJsonObject, type Reply, TWIN_ACCOUNT } from '../http.js';
import { RUN_SHELL_SCRIPT, type RunCommandContext } from './records.js';
import { error, validation } from './replies.js';

/** The parameters AWS-RunShellScript declares; the twin reads only `commands`. */
const SHELL_SCRIPT_PARAMETERS = new Set(['commands', 'workingDirectory', 'executionTimeout']);
const MAX_INSTANCE_IDS = 50;

export const isStringList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

/** The instances InstanceIds names, each known to the world and managed by SSM, or the error. */
export function targetInstances(
  ids: unknown,
  world: TwinWorld | undefined,
  ctx: RunCommandContext,
): { instance: TwinInstance; world: TwinWorld }[] | Reply {
  if (!isStringList(ids) || ids.length === 0) {
    return validation(
      "Value at 'instanceIds' failed to satisfy constraint: Member must be a non-empty list of instance IDs (the SSM twin does not take Targets)",
      ctx,
    );
  }
  if (ids.length > MAX_INSTANCE_IDS) {
    return validation(
      `Value at 'instanceIds' failed to satisfy constraint: Member must have length less than or equal to ${MAX_INSTANCE_IDS}`,
      ctx,
    );
  }
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate !== undefined)
    return error('DuplicateInstanceId', `Instance ${duplicate} is listed twice.`, ctx);
  const found = ids.map((id) => ({
    id,
    instance: world === undefined ? undefined : findInstance(world, id),
  }));
  const invalid = found.filter((f) => f.instance?.ssmManaged !== true).map((f) => f.id);
  if (world === undefined || invalid.length > 0) {
    return error(
      'InvalidInstanceId',
      `Instances [[${invalid.join(', ')}]] not in a valid state for account ${TWIN_ACCOUNT}: the twin knows no SSM-managed instance by that ID.`,
      ctx,
    );
  }
  return found.flatMap((f) => (f.instance === undefined ? [] : [{ instance: f.instance, world }]));
}

/** Parameters as AWS-RunShellScript takes them: name → list of strings, `commands` required. */
export function shellScriptParameters(
  value: unknown,
  ctx: RunCommandContext,
): { parameters: Record<string, string[]> } | { reply: Reply } {
  const invalid = (detail: string) => ({ reply: error('InvalidParameters', detail, ctx) });
  if (!isJsonObject(value)) return invalid(`${RUN_SHELL_SCRIPT} requires the parameter "commands".`);
  const parameters: Record<string, string[]> = {};
  for (const [name, list] of Object.entries(value)) {
    if (!SHELL_SCRIPT_PARAMETERS.has(name)) {
      return invalid(`Parameter "${name}" is not defined in document ${RUN_SHELL_SCRIPT}.`);
    }
    if (!isStringList(list)) {
      return invalid(`Parameter "${name}" must be a list of strings.`);
    }
    parameters[name] = list;
  }
  if ((parameters.commands ?? []).length === 0) {
    return invalid(`${RUN_SHELL_SCRIPT} requires the parameter "commands".`);
  }
  return { parameters };
}
