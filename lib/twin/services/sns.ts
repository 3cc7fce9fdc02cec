/**
 * SNS Publish over the awsQuery protocol: a form-encoded POST (`Action=Publish&Version=2010-03-31&…`)
 * answered with XML, errors in an `<ErrorResponse>` envelope.
 */
import { escapeXml, newId, queryError, type Reply, xmlReply } from './http.js';
import { operationIn } from './operations.js';

/** A message as SNS accepted it. */
export interface SnsMessage {
  readonly topicArn: string;
  readonly subject?: string;
  readonly message: string;
  /** Attribute name → StringValue (or BinaryValue, base64, as sent). */
  readonly attributes: Record<string, string>;
  readonly messageId: string;
  /** ISO 8601, the twin's now. */
  readonly at: string;
}

export interface SnsContext {
  readonly now: () => Date;
  readonly requestId: string;
  readonly record: (message: SnsMessage) => void;
}

export const SNS_XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/';
export const SNS_VERSION = '2010-03-31';
export const MAX_SUBJECT_CHARS = 100;
export const MAX_MESSAGE_BYTES = 256 * 1024;

/** Form fields of a query request; later duplicates win, as they do on AWS. */
export function parseForm(body: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(body));
}

type SnsParams = Readonly<Record<string, string>>;
type SnsHandler = (params: SnsParams, ctx: SnsContext) => Reply;

/** The actions the SNS twin answers, by name: its registry. */
const SNS_OPERATIONS: Readonly<Record<string, SnsHandler>> = { Publish: publish };

/** The actions the SNS twin answers. */
export const SNS_ACTIONS: readonly string[] = Object.keys(SNS_OPERATIONS);

export function handleSns(params: SnsParams, ctx: SnsContext): Reply {
  const action = params.Action ?? '';
  const handler = operationIn(SNS_OPERATIONS, action);
  if (handler !== undefined) return handler(params, ctx);
  return queryError(
    SNS_XMLNS,
    400,
    'InvalidAction',
    `The action ${action || '(none)'} is not valid for this web service: the SNS twin knows ${SNS_ACTIONS.join(', ')}.`,
    ctx.requestId,
  );
}

function publish(params: SnsParams, ctx: SnsContext): Reply {
  const fail = (code: string, message: string) => queryError(SNS_XMLNS, 400, code, message, ctx.requestId);
  const topicArn = params.TopicArn ?? params.TargetArn;
  if (topicArn === undefined || topicArn === '') {
    return fail(
      'InvalidParameter',
      'Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter',
    );
  }
  const message = params.Message;
  if (message === undefined || message === '')
    return fail('InvalidParameter', 'Invalid parameter: Empty message');
  if (Buffer.byteLength(message, 'utf8') > MAX_MESSAGE_BYTES) {
    return fail('InvalidParameter', 'Invalid parameter: Message too long');
  }
  const subject = params.Subject;
  if (subject !== undefined && !validSubject(subject))
    return fail('InvalidParameter', 'Invalid parameter: Subject');
  const attributes = messageAttributes(params);
  if (typeof attributes === 'string') return fail('ParameterValueInvalid', attributes);

  const messageId = newId();
  ctx.record({
    topicArn,
    ...(subject === undefined ? {} : { subject }),
    message,
    attributes,
    messageId,
    at: ctx.now().toISOString(),
  });
  return xmlReply(
    `<PublishResponse xmlns="${SNS_XMLNS}"><PublishResult><MessageId>${escapeXml(messageId)}</MessageId></PublishResult>` +
      `<ResponseMetadata><RequestId>${ctx.requestId}</RequestId></ResponseMetadata></PublishResponse>`,
    ctx.requestId,
  );
}

/** AWS: ASCII, no line breaks or control characters, at most 100 characters, not empty. */
function validSubject(subject: string): boolean {
  return subject.length > 0 && subject.length <= MAX_SUBJECT_CHARS && /^[\x20-\x7e]+$/.test(subject);
}

/**
 * `MessageAttributes.entry.N.Name` / `.Value.DataType` / `.Value.StringValue` (or `.BinaryValue`), N from 1.
 * A string is the error message of an attribute AWS would refuse.
 */
function messageAttributes(params: SnsParams): Record<string, string> | string {
  const attributes: Record<string, string> = {};
  for (let n = 1; ; n++) {
    const prefix = `MessageAttributes.entry.${n}`;
    const name = params[`${prefix}.Name`];
    if (name === undefined) return attributes;
    const dataType = params[`${prefix}.Value.DataType`] ?? '';
    const value = params[`${prefix}.Value.StringValue`] ?? params[`${prefix}.Value.BinaryValue`];
    if (!/^(String|Number|Binary)(\..+)?$/.test(dataType)) {
      return `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`;
    }
    if (value === undefined)
      return `The message attribute '${name}' must contain non-empty message attribute value.`;
    attributes[name] = value;
  }
}
