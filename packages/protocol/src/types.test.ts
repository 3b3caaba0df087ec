// Type-level checks of the public API: these fail under `tsc` (part of `npm test`) when an
// inferred type widens, e.g. to `string` or an index signature.
import { describe, expectTypeOf, it } from "vitest";
import type {
  CallEvent,
  CallEventKind,
  DataChannelErrorCodeValue,
  DataChannelKind,
  DataChannelMessage,
  ErrorContent,
  InviteContent,
  StreamMetadata,
  TrackSubscriptionContent,
  Values,
} from "./index.ts";

describe("public types", () => {
  it("keep literal unions for kinds, versions, purposes and error codes", () => {
    expectTypeOf<CallEvent["kind"]>().toEqualTypeOf<CallEventKind>();
    expectTypeOf<DataChannelMessage["kind"]>().toEqualTypeOf<DataChannelKind>();
    expectTypeOf<InviteContent["version"]>().toEqualTypeOf<"1" | 1>();
    expectTypeOf<StreamMetadata["purpose"]>().toEqualTypeOf<
      (typeof Values)["purposeUsermedia"] | (typeof Values)["purposeScreenshare"]
    >();
    expectTypeOf<ErrorContent["errcode"]>().toEqualTypeOf<DataChannelErrorCodeValue>();
  });

  it("type the metadata key of an invite and the items of a subscription", () => {
    expectTypeOf<InviteContent["sdp_stream_metadata"]>().toEqualTypeOf<
      Record<string, StreamMetadata> | undefined
    >();
    expectTypeOf<
      NonNullable<TrackSubscriptionContent["subscribe"]>[number]["stream_id"]
    >().toEqualTypeOf<string>();
  });

  it("narrow a call event's content by its kind", () => {
    const handle = (event: CallEvent) => {
      if (event.kind === "selectAnswer") expectTypeOf(event.content.selected_party_id).toBeString();
    };
    expectTypeOf(handle).toBeFunction();
  });
});
