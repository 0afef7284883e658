import type { ArabicCatalog } from '../../types';
import common from './common';
import contacts from './contacts';
import devices from './devices';
import identity from './identity';
import importExport from './importExport';
import lists from './lists';
import messages from './messages';
import partners from './partners';
import security from './security';
import witness from './witness';

/** Modern Standard Arabic; loaded only when chosen or when the browser asks for Arabic. */
const ar: ArabicCatalog = { common, contacts, devices, identity, importExport, lists, messages, partners, security, witness };
export default ar;
