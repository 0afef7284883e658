import type { SignalingClientEvent, SignalingServerToClientEvents } from '@ihyid/shared';
import type { Server, Socket } from 'socket.io';

/** Client events arrive as unknown arguments; only the server's own emits are typed. */
type IncomingEvents = Record<SignalingClientEvent, (...args: unknown[]) => void>;
export type SignalingIo = Server<IncomingEvents, SignalingServerToClientEvents>;
export type SignalingSocket = Socket<IncomingEvents, SignalingServerToClientEvents>;
