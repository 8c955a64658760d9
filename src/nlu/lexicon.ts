/**
 * The field's vocabulary: how ops people write the same thing in different ways. Kept apart from the
 * normaliser's mechanics so domain experts can extend it without reading the tokenizer.
 *
 * Three layers, applied in this order by `normalize.ts`:
 *  1. PHRASES: multi-word forms rewritten to one canonical token ("phase one", "p1", "main mode" -> phase1).
 *     Written against lowercased text whose punctuation has become single spaces.
 *  2. ALIASES: one token -> one canonical token (abbreviations, spelling variants: fw -> firewall).
 *  3. CONCEPTS: canonical token -> extra concept feature ("#drop" for drop/flap/disconnect ...), so a word
 *     the training examples never used still lands near the ones they did.
 * Nothing here names a topic: the model learns which concepts matter for which topic from the examples.
 */

/** [pattern, replacement]. Patterns are matched on word boundaries of the space-joined token string. */
export const PHRASES: [RegExp, string][] = [
  // IKE versions and phases (before the digit-splitting rules below can separate "phase 1").
  [/\bike ?v ?2\b|\bike version 2\b|\bike 2\b|\bikev2\b/g, 'ikev2'],
  [/\bike ?v ?1\b|\bike version 1\b|\bike 1\b|\bikev1\b/g, 'ikev1'],
  [/\bike sa init\b|\bike auth\b|\bsa init\b/g, 'ikev2 phase1'],
  [/\bcreate child sa\b|\bchild sa\b|\bchildsa\b/g, 'phase2'],
  [/\bphase ?(?:one|1)\b|\bph ?1\b|\bp1\b|\bp 1\b|\bphase i\b|\bfirst phase\b/g, 'phase1'],
  [/\bphase ?(?:two|2)\b|\bph ?2\b|\bp2\b|\bp 2\b|\bphase ii\b|\bsecond phase\b/g, 'phase2'],
  [/\b(?:ike|isakmp) (?:sa|sas|tunnel|negotiation)\b/g, 'phase1 ike'],
  [/\bmain mode\b|\baggressive mode\b|\bmm (?:wait msg ?\d|no state|active)\b|\bmm wait msg\d\b/g, 'phase1 ike'],
  [/\bipsec (?:sa|sas)\b|\bquick mode\b|\bqm (?:idle|fsm \w+)\b/g, 'phase2 ipsec'],
  [/\bproxy ids?\b|\bproxyids?\b/g, 'proxyid'],
  [/\btraffic selectors?\b|\bts unacceptable\b/g, 'trafficselector'],
  [/\bencryption domains?\b|\binteresting traffic\b/g, 'encryptiondomain'],
  [/\bsecurity associations?\b/g, 'sa'],
  [/\bperfect forward secrecy\b/g, 'pfs'],
  // Algorithm names: any of them makes a message about the IKE/IPsec parameters.
  [/\b(?:sha ?(?:1|2|256|384|512)|sha|md5|aes ?(?:128|192|256)?(?: ?gcm| ?cbc)?|3des|des|modp ?\d*|ecp ?\d*|(?:dh ?)?group ?\d{1,2}|hmac|prf)\b/g, '$& cryptoalg'],
  [/\bpre ?shared ?keys?\b|\bshared secrets?\b/g, 'psk'],
  [/\bdead peer detection\b|\bdear peer detection\b|\br u there(?: ack)?\b/g, 'dpd'],
  [/\bnat ?t\b|\bnat traversal\b|\bnatt\b|\budp encap\w*\b/g, 'natt'],
  [/\bnetwork address translation\b/g, 'nat'],
  [/\bencapsulating security payload\b|\b(?:ip )?proto(?:col)? 50\b/g, 'esp'],
  [/\binternet key exchange\b/g, 'ike'],
  [/\bas ?path(?: prepend(?:ing)?)?\b|\bprepend(?:ing|ed)?\b/g, 'aspath'],
  [/\blocal ?pref(?:erence)?\b/g, 'localpref'],
  [/\bactive ?(?:\/ ?)?(?:active|passive|standby)\b/g, 'activepassive'],
  [/\bboth tunnels?\b|\btwo tunnels\b|\b2 tunnels\b|\bsecond tunnel\b|\b2nd tunnel\b|\btun(?:nel)? ?1 (?:and|&|or|\/) ?(?:tun(?:nel)? ?)?2\b|\bprimary tunnel\b|\bsecondary tunnel\b|\bother tunnel\b|\bboth vpn tunnels\b/g, 'bothtunnels'],
  [/\breverse path\b|\basymmetric(?:al)?(?: rout\w*)?\b/g, 'asymmetric'],

  // Redundancy and selectors
  [/\b(?:only )?one tunnel (?:is )?(?:active|up)\b|\bsingle active tunnel\b|\bone active tunnel\b/g, 'activepassive'],
  [/\b(?:second|another|additional|multiple|several|extra|more|2nd|two|three|four|many) (?:phase2|subnet|subnets|selectors?|trafficselector|proxyid|sa|sas|lans?|networks|ranges?|iprange|encryptiondomain|child sas|crypto acl lines)\b/g, '$& multiselector'],
  [/\bmore than one (?:subnet|network|range|lan|iprange|sa|phase2)s?\b/g, 'multiselector'],

  // Direction of a connection: cloud apps reaching on-prem systems vs on-prem users reaching the cloud.
  [/\b(?:from|in) (?:the |our |my )?(?:outsystems |os )?cloud(?: env\w*| app\w*| server\w*| side)?\b|\bcloud (?:env\w* |app\w* |server\w* )?(?:cannot|can not|fails? to|unable to) (?:reach|talk|connect|call|access|resolve)\b|\bcloud (?:to|->|=>) (?:on ?prem\w*|our|the dc|datacenter)\b/g, '$& cloudtoonprem'],
  [/\b(?:from|in) (?:the |our |my )?(?:office|lan|internal network|corporate network|on ?prem\w*|datacenter|branch|intranet)\b|\b(?:on ?prem\w*|office|lan) (?:to|->|=>) (?:the )?(?:outsystems |os )?cloud\b/g, '$& onpremtocloud'],

  // Who sends the first packet: "as soon as we generate traffic from our side it works"
  [/\b(?:generat\w*|send\w*|initiat\w*|start\w*|creat\w*) (?:some |interesting |any |constant |continuous )?traffic\b/g, 'initiatetraffic'],
  [/\btim(?:e|es|ed|ing) ?out\b|\btimeouts?\b|\btimed out\b/g, 'timeout'],

  // "call": a meeting with people vs an app invoking something
  [/\b(?:a|bridge|conference|phone|video|zoom|teams|quick|webex) call\b|\bcall with\b|\bget on a call\b/g, 'meetingcall'],

  // Time patterns: "every hr", "hourly", "every 60 min" all mean the same recurring period.
  [/\b(?:every|each|per|once an?) (?:single )?(?:hour|hr|60 ?min\w*|3600 ?s\w*)\b|\bhourly\b|\bevery 1 ?h(?:our|r)?\b|\b60 ?min(?:ute)?s? (?:interval|period|cycle|exactly)\b|\b3600 ?s(?:ec\w*)? interval\w*\b|\bat 3600 ?s\b|\blike clockwork\b/g, 'hourly'],
  [/\b51 ?min\w*\b/g, 'fiftyoneminutes'],

  // DNS
  [/\bconditional (?:dns )?(?:forwarder|forwarding|fwd|forward)s?\b|\bcond(?:itional)? (?:fwd|forward(?:er|ing)?s?)\b|\bstub zones?\b|\bforward(?:ing)? zones?\b|\bforwarders?\b|\bdns forwarding\b/g, 'forwarder'],
  [/\bname ?servers?\b|\bdns servers?\b|\bresolvers?\b/g, 'dnsserver'],
  [/\bname resolution\b|\bdns resolution\b|\bname lookup\b/g, 'dnsresolution'],
  [/\b(?:internal|private|intranet|local|onprem|corporate) (?:domains?|zones?|hostnames?|names?)\b/g, 'internaldomain'],

  // Addressing
  [/\b(?:private|internal) (?:ip|ips|ip addresses|ip address|addresses|address|addressing)\b/g, 'privateip'],
  [/\bpublic (?:ip|ips|ip addresses|ip address|addresses|address)\b/g, 'publicip'],
  [/\b(?:ip )?(?:range|ranges|cidr|cidrs|block|blocks|subnet range)\b/g, 'iprange'],
  [/\bload ?balancers?\b|\blbs?\b|\belbs?\b/g, 'loadbalancer'],
  [/\bfront ?ends?\b|\bfrontends?\b|\bfes?\b|\bfe\d\b|\bapp(?:lication)? servers?\b|\bweb servers?\b/g, 'frontend'],
  [/\b(?:sql ?server|mssql|oracle|mysql|postgres\w*|mariadb|db2|sybase)\b/g, 'database'],
  [/\bsecurity groups?\b|\bsgs?\b/g, 'securitygroup'],
  [/\bon ?prem\w*\b|\bon ?site\b|\bon the premises\b/g, 'onprem'],
  [/\bre ?ip ?(?:ed|d)?\b|\bre ?address\w*\b|\bre ?number\w*\b/g, 'changed iprange'],

  // Tools and checks
  [/\btracert\b|\btrace ?route\b|\bmtr\b|\btraceroute6?\b|\btrace\b|\bpathping\b/g, 'traceroute'],
  [/\btest ?netconnection\b|\btnc\b|\btelnet\b|\bnc ?-?v?z\b|\bncat\b/g, 'telnet'],
  [/\bnslookup\b|\bdig\b|\bresolve ?dnsname\b|\bhost lookup\b/g, 'nslookup'],
  [/\bicmp\b|\becho (?:request|reply)\b|\bping(?:s|ed|ing|able)?\b/g, 'ping'],
  [/\bpacket loss\b|\brequest timed out\b|\bdestination host unreachable\b/g, 'pingfail'],

  // Support and config
  [/\bsupport (?:case|ticket|request)s?\b|\b(?:open|raise|create|log|file) (?:a )?(?:support )?(?:case|ticket)\b/g, 'supportcase'],
  // "support" the noun (people who help) vs the verb ("does the vpn support ipv6"): only the noun is #support.
  [/\b(?:outsystems|os|contact|call|ask|email|reach|tac|vendor|technical|customer) support\b|\bsupport (?:team|engineers?|desk|portal|staff|people|guys)\b/g, 'supportteam'],
  [/\bsupport(?:s|ed)\b|\bunsupported\b/g, 'compatible'],
  [/\bconfig(?:uration)? files?\b|\bconf(?:ig)? file\b|\bvpn config(?:uration)?\b|\bprovided config(?:uration)?\b/g, 'configfile'],
  [/\bconfig(?:uration)? (?:examples?|samples?|templates?|guides?)\b/g, 'configexample'],
  [/\btroubleshooting guides?\b/g, 'troubleshootingguide'],
  [/\blife ?time\b/g, 'lifetime'],
  [/\bservice center\b/g, 'servicecenter'],
  [/\bservice studio\b/g, 'servicestudio'],
  [/\bsite (?:to|2) site\b|\bs2s\b/g, 'sitetosite'],
  // "OS" alone is too ambiguous (pan-os, mac os); only as a noun adjunct it means OutSystems.
  [/\bos (cloud|vpn|side|support|team|dns|end|servers?|environments?|platform)\b/g, 'outsystems $1'],
  [/\bkeep ?alives?\b/g, 'keepalive'],
  // Asking whom to contact is escalation, whatever was checked before ("checked phase 1, dpd... who do I contact").
  [/\bwho (?:do|should|can|could) (?:i|we) (?:contact|call|reach|ask|talk to|escalate to)\b|\bwho to (?:contact|call|escalate to)\b/g, 'contactsupport'],
  // Pinging "to keep it up" is a keep-alive, whatever the words; a tunnel that "keeps bouncing" flaps (to
  // bounce a tunnel, transitive, is a reset: the alias below).
  [/\bkeep(?:s|ing)? (?:on )?pinging\b|\bto keep (?:it|the tunnels?|the vpn|them) (?:up|alive)\b/g, 'keepalive'],
  [/(?<=\b(?:tunnels?|vpn|it|sas?|connection|peers?)(?: keeps?| kept| is| are| was| were)? )bouncing\b/g, 'flap'],
  [/\bfirm ?ware\b/g, 'firmware'],

  // Chat shorthands with two tokens
  [/\bthank (?:you|u)\b|\bthanks a lot\b|\bmany thanks\b/g, 'thanks'],
  [/\bwhat s up\b|\bwhats up\b|\bsup\b/g, 'hello'],
];

/** One token to one canonical token: abbreviations and variants. */
export const ALIASES: Record<string, string> = {
  fw: 'firewall', fws: 'firewall', firewalls: 'firewall', gw: 'gateway', gws: 'gateway',
  db: 'database', dbs: 'database', databases: 'database',
  env: 'environment', envs: 'environment', environments: 'environment',
  prd: 'production', prod: 'production', dev: 'development', qa: 'quality', uat: 'quality', stg: 'quality',
  cfg: 'configuration', conf: 'configuration', config: 'configuration', configs: 'configuration',
  whitelist: 'allow', whitelisted: 'allow', whitelisting: 'allow', allowlist: 'allow', allowlisted: 'allow',
  allowlisting: 'allow', permit: 'allow', permitted: 'allow', permits: 'allow',
  fwd: 'forward', fwding: 'forwarding',
  hr: 'hour', hrs: 'hour', hours: 'hour', min: 'minute', mins: 'minute', minutes: 'minute',
  sec: 'second', secs: 'second', seconds: 'second',
  pls: 'please', plz: 'please', pleas: 'please', u: 'you', ya: 'you', ur: 'your',
  thx: 'thanks', thnx: 'thanks', ty: 'thanks', tks: 'thanks', cheers: 'thanks', thank: 'thanks', thankyou: 'thanks',
  hi: 'hello', hey: 'hello', hiya: 'hello', yo: 'hello', howdy: 'hello', greetings: 'hello', morning: 'morning',
  b4: 'before', w: 'with', wo: 'without', bc: 'because', cuz: 'because', coz: 'because', abt: 'about',
  dwn: 'down', dn: 'down', msg: 'message', msgs: 'message', ack: 'acknowledge', acked: 'acknowledged',
  conn: 'connection', conns: 'connection', connectivity: 'connectivity', cxn: 'connection',
  ip: 'ip', ips: 'ip', addr: 'address', addrs: 'address', subnets: 'subnet', nets: 'network',
  outsystem: 'outsystems', 'outsystemsenterprise': 'outsystemsenterprise',
  cust: 'customer', srv: 'server', svr: 'server', srvs: 'server', vm: 'server',
  tun: 'tunnel', tunl: 'tunnel', tunnels: 'tunnel', tunnle: 'tunnel', tunel: 'tunnel',
  ipsec: 'ipsec', ipsecs: 'ipsec', vpns: 'vpn',
  pfsense: 'pfsense', fortigate: 'fortigate', fortigates: 'fortigate', fgt: 'fortigate',
  checkpoint: 'checkpoint', juniper: 'srx', paloalto: 'palo',
  supported: 'compatible', supports: 'compatible', unsupported: 'compatible', compatibility: 'compatible',
  ticket: 'case', tickets: 'case', sr: 'case', tac: 'support',
  asap: 'urgent', urgently: 'urgent', wrt: 'regarding',
  disconnects: 'disconnect', disconnected: 'disconnect', disconnecting: 'disconnect', dc: 'datacenter',
  datacentre: 'datacenter', datacenters: 'datacenter',
  flaky: 'unstable', flakey: 'unstable', intermittent: 'intermittent', intermittently: 'intermittent',
  reinitiate: 'reinitiate', reinitialise: 'reinitiate', reinitialize: 'reinitiate', reinit: 'reinitiate',
  reestablish: 'reinitiate', renegotiate: 'renegotiate',
};

/**
 * Concept features: a canonical token may add one or more "#concept" features. Keys are written as plain
 * words; the normaliser stems them once at start-up so "resolve", "resolves" and "resolved" all match.
 */
export const CONCEPTS: Record<string, string[]> = {
  // the tunnel itself
  tunnel: ['#vpn'], vpn: ['#vpn'], ipsec: ['#vpn'], sitetosite: ['#vpn'],
  // instability
  drop: ['#drop'], flap: ['#drop'], disconnect: ['#drop'], die: ['#drop'], down: ['#drop'], torn: ['#drop'],
  unstable: ['#drop', '#unstable'], instability: ['#drop', '#unstable'],
  intermittent: ['#drop', '#unstable'], outage: ['#drop'], lose: ['#drop'], lost: ['#drop'], interrupt: ['#drop'],
  randomly: ['#unstable'], random: ['#unstable'], sporadic: ['#unstable'],
  hourly: ['#period', '#hourly'], clockwork: ['#period'], periodic: ['#period'], regular: ['#period'],
  // negotiation
  phase1: ['#phase1'], ike: ['#phase1'], isakmp: ['#phase1'], psk: ['#phase1', '#auth'],
  phase2: ['#phase2'], proxyid: ['#phase2', '#selector'], pfs: ['#phase2', '#crypto'], esp: ['#phase2'],
  trafficselector: ['#selector'], multiselector: ['#selector', '#multiselector'],
  cloudtoonprem: ['#cloudtoonprem'], onpremtocloud: ['#onpremtocloud'], meetingcall: ['#support'],
  parameter: ['#requirement'], param: ['#requirement'], encryptiondomain: ['#selector'], sa: ['#selector'],
  proposal: ['#crypto'], aes: ['#crypto'], sha: ['#crypto'], dh: ['#crypto'], cipher: ['#crypto'],
  encryption: ['#crypto'], hash: ['#crypto'], gcm: ['#crypto'], cbc: ['#crypto'], sha256: ['#crypto'],
  aes256: ['#crypto'], group14: ['#crypto'], cryptoalg: ['#crypto'],
  certificate: ['#auth'], authentication: ['#auth'], secret: ['#auth'],
  negotiation: ['#negotiate'], negotiate: ['#negotiate'], establish: ['#negotiate'],
  rekey: ['#lifetime'], lifetime: ['#lifetime'], expire: ['#lifetime'],
  nat: ['#nat'], natt: ['#nat'], natted: ['#nat'], cgnat: ['#nat'], traversal: ['#nat'],
  retransmit: ['#noreply'], timeout: ['#noreply'], unanswered: ['#noreply'],
  dpd: ['#dpd'], keepalive: ['#keepalive'], alive: ['#keepalive'],
  // routing / redundancy
  bothtunnels: ['#failover'], failover: ['#failover'], redundancy: ['#failover'], activepassive: ['#failover'],
  backup: ['#failover'], primary: ['#failover'], secondary: ['#failover'], asymmetric: ['#failover'],
  aspath: ['#bgp'], localpref: ['#bgp'], bgp: ['#bgp'],
  // who starts traffic
  initiate: ['#initiate'], initiatetraffic: ['#initiate'], initiator: ['#initiate'], responder: ['#initiate'],
  idle: ['#idle'], quiet: ['#idle'], inactive: ['#idle'], inactivity: ['#idle'], night: ['#idle'], weekend: ['#idle'],
  overnight: ['#idle'],
  // asking OutSystems to act
  reset: ['#reset'], bounce: ['#reset'], restart: ['#reset'], reboot: ['#reset'], kick: ['#reset'],
  reinitiate: ['#reset'], renegotiate: ['#reset'], clear: ['#reset'],
  // dns
  dns: ['#dns'], dnsserver: ['#dns'], resolve: ['#dns'], resolution: ['#dns'],
  dnsresolution: ['#dns'], nslookup: ['#dns', '#test'], forwarder: ['#dns', '#forwarder'], hostname: ['#dns'],
  internaldomain: ['#internaldomain'], zone: ['#dns'],
  // reachability tests
  ping: ['#ping'], pingfail: ['#ping', '#noreply'],
  traceroute: ['#trace', '#test'], hop: ['#trace'], telnet: ['#test', '#tcptest'],
  test: ['#test'], verify: ['#test'], confirm: ['#test'], prove: ['#test'], validate: ['#test'],
  // addressing
  privateip: ['#privateip'], publicip: ['#publicip'], iprange: ['#range'], subnet: ['#range'], cidr: ['#range'],
  loadbalancer: ['#loadbalancer'], frontend: ['#frontend'], database: ['#database'],
  allow: ['#allow'], open: ['#allow'], rule: ['#allow'], acl: ['#allow'],
  securitygroup: ['#securitygroup'], onprem: ['#onprem'], datacenter: ['#onprem'], office: ['#onprem'],
  lan: ['#onprem'], corporate: ['#onprem'], branch: ['#onprem'],
  change: ['#change'], migrate: ['#change'], move: ['#change'], new: ['#change'],
  // integrations
  api: ['#integration'], rest: ['#integration'], soap: ['#integration'], webservice: ['#integration'],
  integration: ['#integration'], connector: ['#integration'], ldap: ['#integration'], sftp: ['#integration'],
  // asking for help
  supportcase: ['#support'], supportteam: ['#support'], escalate: ['#support'], case: ['#support'],
  engineer: ['#support'],
  configfile: ['#configfile'], configexample: ['#configfile'], troubleshootingguide: ['#configfile'],
  firmware: ['#configfile'], syntax: ['#configfile'], template: ['#configfile'],
  requirement: ['#requirement'], require: ['#requirement'], supported: ['#requirement'], prerequisite: ['#requirement'],
  minimum: ['#requirement'], meet: ['#requirement'], prerequisites: ['#requirement'], mandatory: ['#requirement'], compatible: ['#requirement'],
};

/**
 * Concepts that by themselves place a message in the VPN domain (the tunnel, its phases, DNS, ping ...).
 * Generic ones (#change, #test, #allow, #integration) are not anchors: "new monitor" is not about the VPN;
 * nor is #lifetime, because "LifeTime" is also the OutSystems console.
 */
export const DOMAIN_ANCHORS = new Set([
  '#vpn', '#phase1', '#phase2', '#selector', '#dpd', '#nat', '#dns', '#forwarder', '#internaldomain', '#ping',
  '#trace', '#tcptest', '#failover', '#bgp', '#keepalive', '#privateip', '#publicip', '#frontend',
  '#loadbalancer', '#crypto', '#hourly', '#initiate', '#securitygroup', '#configfile', '#range',
  '#cloudtoonprem', '#onpremtocloud', '#multiselector',
]);

/** Words that carry no signal for intent. Small on purpose: "not", "why", "how" can matter. */
export const STOPWORDS = new Set([
  'a', 'an', 'the', 'and', 'or', 'but', 'of', 'to', 'in', 'on', 'at', 'for', 'from', 'by', 'with', 'as', 'is',
  'are', 'was', 'were', 'be', 'been', 'being', 'am', 'it', 'its', 'this', 'that', 'these', 'those', 'there',
  'here', 'i', 'me', 'my', 'we', 'us', 'our', 'ours', 'you', 'your', 'yours', 'they', 'them', 'their', 'he', 'she',
  'his', 'her', 'do', 'does', 'did', 'doing', 'have', 'has', 'had', 'so', 'if', 'then', 'than', 'too', 'very',
  'just', 'also', 'any', 'some', 'all', 'about', 'into', 'over', 'up', 'out', 'off', 'again', 'only', 'own',
  'same', 'such', 'can', 'could', 'would', 'should', 'will', 'shall', 'may', 'might', 'must', 'please', 'hi',
  'hello', 'pls', 'guys', 'team', 'folks', 'anyone', 'someone', 'somebody', 'get', 'got', 'gets', 'go', 'going',
  'know', 'need', 'needs', 'want', 'wants', 'like', 'which', 'what', 'whats', 'who', 'whom', 'where', 'when', 'how',
  'one', 'ok', 'okay', 'yes', 'yeah', 'no', 'not', 'now', 'still', 'via', 'thru', 'through', 'etc', 'e', 'g', 'x',
  'b', 'c', 'd', 'f', 'h', 'j', 'k', 'l', 'm', 'n', 'o', 'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'y', 'z', 'im',
  'ive', 'id', 'ill', 'thats', 'theres', 'let', 'lets', 'make', 'sure', 'way', 'thing', 'things', 'something',
  'com', 'www',
]);
