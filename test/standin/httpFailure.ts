/** An HTTP error the stand-in answers in OpenAI's body shape: {"error":{"message","type","param","code"}}. */
export class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly param: string | null = null,
  ) {
    super(message);
  }
}
