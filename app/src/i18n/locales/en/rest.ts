import contacts from './contacts';
import devices from './devices';
import identity from './identity';
import importExport from './importExport';
import lists from './lists';
import messages from './messages';
import partners from './partners';
import witness from './witness';

/** #12 item 9: what the other screens say, loaded after the first paint (first.ts says what comes before). */
const rest = { contacts, devices, identity, importExport, lists, messages, partners, witness };
export default rest;
