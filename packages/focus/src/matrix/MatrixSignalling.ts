// Sends call events to devices: encodes them with the protocol package (in the configured
// name variant) and PUTs them to /sendToDevice, unencrypted, one transaction id each.
// Spec: https://spec.matrix.org/v1.16/client-server-api/#put_matrixclientv3sendtodeviceeventtypetxnid
import { type CallEvent, encodeCallEvent, type NameVariant } from "@matrix-focus/protocol";
import type { CallSignalling } from "../conference/ConferenceManager.ts";
import type { DeviceRef } from "../conference/inputs.ts";
import { type MatrixHttp, seg } from "./MatrixHttp.ts";

export class MatrixSignalling implements CallSignalling {
  readonly #http: MatrixHttp;
  readonly #variant: NameVariant;
  readonly #txnPrefix = `mf${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  #txn = 0;

  constructor(http: MatrixHttp, variant: NameVariant) {
    this.#http = http;
    this.#variant = variant;
  }

  async sendCallEvent(to: DeviceRef, event: CallEvent): Promise<void> {
    const { type, content } = encodeCallEvent(event, this.#variant);
    const txnId = `${this.#txnPrefix}.${this.#txn++}`;
    await this.#http.request("PUT", `/_matrix/client/v3/sendToDevice/${seg(type)}/${seg(txnId)}`, {
      body: { messages: { [to.userId]: { [to.deviceId]: content } } },
    });
  }
}
