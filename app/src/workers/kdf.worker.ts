/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import { argon2idKek, kdfReady } from '../storage/at-rest/kdf';

/** X2: Argon2id (64 MiB, about half a second) off the page's thread; one worker per derivation. */
Comlink.expose({ derive: argon2idKek, ready: kdfReady });
