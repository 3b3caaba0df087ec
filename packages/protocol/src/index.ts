// Public API of @matrix-focus/protocol: Matrix names, wire schemas, parsers and writers.

export * from "./coreNames.ts";
export * from "./datachannel/cascade.ts";
export * from "./datachannel/envelope.ts";
export * from "./datachannel/keepAlive.ts";
export * from "./datachannel/negotiate.ts";
export * from "./datachannel/replies.ts";
export * from "./datachannel/trackSubscription.ts";
export * from "./defaults.ts";
export * from "./matrix/callEventCodec.ts";
export * from "./matrix/callEvents.ts";
export * from "./matrix/callMember.ts";
export * from "./matrix/callMembership.ts";
export * from "./matrix/callState.ts";
export * from "./matrix/focus.ts";
export * from "./matrix/sdpStreamMetadata.ts";
export * from "./names.ts";
export * from "./ProtocolError.ts";
