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

/** English, the source catalog: one file per feature, so that helpers adding strings rarely collide. */
const en = { common, contacts, devices, identity, importExport, lists, messages, partners, security, witness };
export default en;
