import type { ArabicCatalog } from '../../types';
import contacts from './contacts';
import devices from './devices';
import identity from './identity';
import importExport from './importExport';
import lists from './lists';
import messages from './messages';
import partners from './partners';
import witness from './witness';

/** The Arabic of en/rest.ts: what the other screens say, loaded after the first paint. */
const rest: Pick<ArabicCatalog, 'contacts' | 'devices' | 'identity' | 'importExport' | 'lists' | 'messages' | 'partners' | 'witness'> = { contacts, devices, identity, importExport, lists, messages, partners, witness };
export default rest;
