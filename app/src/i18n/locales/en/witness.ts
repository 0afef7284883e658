/** The exposure witness screen (W1–W6). */
export default {
  title: 'Exposure witness',
  intro:
    'When two phones in witness mode are within about 15 metres of each other, they make a shared random token and each keeps it for 15 days. If someone later declares a positive test, everyone who holds one of their tokens is alerted, on their own phone, without anyone learning who met whom.',
  onDevice: 'On this device',
  tokens: 'Witness tokens on this device: {{count}}',
  alerts: 'Declared tokens kept to pass on to devices that were offline: {{count}}',
  modeTitle: 'Witness mode',
  modeExplain:
    'In witness mode this phone sends its position to the connection server every 10 seconds. The server keeps only the latest position, in memory, to find phones nearby, and forgets it when you stop or close the app. Nothing else about you is sent. Witness mode stays on only until the app is closed.',
  agree: 'I agree to share my position while witness mode is on',
  turnOn: 'Turn on witness mode',
  isOn: 'Witness mode is on.',
  starting: 'Starting witness mode…',
  turnOff: 'Turn off witness mode',
  declareTitle: 'Declare a positive test',
  declared_one: 'Declared. {{count}} token was sent and deleted from this device.',
  declared_other: 'Declared. {{count}} tokens were sent and deleted from this device.',
  confirm_one:
    'This sends your witness token through the connection server to every phone in witness mode, and deletes it from this device. People you were near in the last 15 days will be alerted, without learning who you are.',
  confirm_other:
    'This sends your {{count}} witness tokens through the connection server to every phone in witness mode, and deletes them from this device. People you were near in the last 15 days will be alerted, without learning who you are.',
  yesDeclare: 'Yes, declare and alert',
  declare: 'Declare a positive test…',
  noTokensReason: 'There are no witness tokens on this device yet: they are made when your phone in witness mode meets another.',
  exposureOn: 'Possible exposure on {{day}}',
  exposureExplain:
    'Someone you were near on that day has since declared a positive test. Nobody, including the server, knows that this alert reached you.',
  whatToDo: 'What to do:',
  adviceWatch: 'Watch for symptoms for the next days, and take a test if one is available.',
  adviceMask: 'Wear a mask near others, and avoid contact with people at risk.',
  adviceGuidance: "Follow your organisation's health guidance, and tell your supervisor if you fall ill.",
  dismiss: 'Dismiss this alert',
};
