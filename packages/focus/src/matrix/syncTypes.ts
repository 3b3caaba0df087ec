// The parts of a /sync response the focus reads. Everything is optional on the wire.

export interface MatrixEvent {
  type: string;
  content: Record<string, unknown>;
  sender: string;
  state_key?: string;
  origin_server_ts?: number;
  event_id?: string;
}

export interface ToDeviceEvent {
  type: string;
  sender: string;
  content: unknown;
}

export interface JoinedRoomSync {
  state?: { events?: MatrixEvent[] };
  timeline?: { events?: MatrixEvent[] };
}

export interface InvitedRoomSync {
  invite_state?: { events?: MatrixEvent[] };
}

export interface SyncResponse {
  next_batch: string;
  to_device?: { events?: ToDeviceEvent[] };
  rooms?: {
    join?: Record<string, JoinedRoomSync>;
    invite?: Record<string, InvitedRoomSync>;
    leave?: Record<string, unknown>;
  };
}
