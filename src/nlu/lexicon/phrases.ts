/** Layer 1 of the vocabulary (see ../lexicon.ts): multi-word forms rewritten to one canonical token. */

/** [pattern, replacement]. Patterns are matched on word boundaries of the space-joined token string. */
export const PHRASES: [RegExp, string][] = [
  // Engineers who write in Spanish, Portuguese, French or Italian mix in their own words for the
  // commonest ideas; mapped to the English ones the topics use.
  [/\b(?:fase|phase) ?(?:1|uno|um|une)\b/g, 'phase1'],
  [/\b(?:fase|phase) ?(?:2|dos|dois|deux|due)\b/g, 'phase2'],
  [/\b(?:(?:a )?cada hora|toda hora|todas las horas|todas as horas|chaque heure|toutes les heures|ogni ora|jede stunde)\b/g, 'hourly'],
  [/\b(?:se cae|se corta|se cayo|se cayó|cai|caiu|caindo|caido|caído|cae|tombe|tombé|cade|caduto)\b/g, 'drop'],
  [/\b(?:sin|sem|pas de|sans|senza) (?:trafico|tráfico|trafego|tráfego|trafic|traffico)\b/g, 'idle'],
  [/\b(?:trafico|tráfico|trafego|tráfego|trafic|traffico)\b/g, 'traffic'],
  [/\b(?:túnel|tunel|tunnel)\b/g, 'tunnel'],
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
  [
    /\b(?:sha ?(?:1|2|256|384|512)|sha|md5|aes ?(?:128|192|256)?(?: ?gcm| ?cbc)?|3des|des|modp ?\d*|ecp ?\d*|(?:dh ?)?group ?\d{1,2}|hmac|prf)\b/g,
    '$& cryptoalg',
  ],
  [/\bpre ?shared ?keys?\b|\bshared secrets?\b/g, 'psk'],
  [/\bdead peer detection\b|\bdear peer detection\b|\br u there(?: ack)?\b/g, 'dpd'],
  [/\bnat ?t\b|\bnat traversal\b|\bnatt\b|\budp encap\w*\b/g, 'natt'],
  [/\bnetwork address translation\b/g, 'nat'],
  [/\bencapsulating security payload\b|\b(?:ip )?proto(?:col)? 50\b/g, 'esp'],
  [/\binternet key exchange\b/g, 'ike'],
  [/\bas ?path(?: prepend(?:ing)?)?\b|\bprepend(?:ing|ed)?\b/g, 'aspath'],
  [/\blocal ?pref(?:erence)?\b/g, 'localpref'],
  [/\bactive ?(?:\/ ?)?(?:active|passive|standby)\b/g, 'activepassive'],
  [
    /\bboth tunnels?\b|\btwo tunnels\b|\b2 tunnels\b|\bsecond tunnel\b|\b2nd tunnel\b|\btun(?:nel)? ?1 (?:and|&|or|\/) ?(?:tun(?:nel)? ?)?2\b|\bprimary tunnel\b|\bsecondary tunnel\b|\bother tunnel\b|\bboth vpn tunnels\b/g,
    'bothtunnels',
  ],
  [/\breverse path\b|\basymmetric(?:al)?(?: rout\w*)?\b/g, 'asymmetric'],

  // Redundancy and selectors
  [/\b(?:only )?one tunnel (?:is )?(?:active|up)\b|\bsingle active tunnel\b|\bone active tunnel\b/g, 'activepassive'],
  [
    /\b(?:second|another|additional|multiple|several|extra|more|2nd|two|three|four|many) (?:phase2|subnet|subnets|selectors?|trafficselector|proxyid|sa|sas|lans?|networks|ranges?|iprange|encryptiondomain|child sas|crypto acl lines)\b/g,
    '$& multiselector',
  ],
  [/\bmore than one (?:subnet|network|range|lan|iprange|sa|phase2)s?\b/g, 'multiselector'],

  // Direction of a connection: cloud apps reaching on-prem systems vs on-prem users reaching the cloud.
  [
    /\b(?:from|in) (?:the |our |my )?(?:outsystems |os )?cloud(?: env\w*| app\w*| server\w*| side)?\b|\bcloud (?:env\w* |app\w* |server\w* )?(?:cannot|can not|fails? to|unable to) (?:reach|talk|connect|call|access|resolve)\b|\bcloud (?:to|->|=>) (?:on ?prem\w*|our|the dc|datacenter)\b/g,
    '$& cloudtoonprem',
  ],
  [
    /\b(?:from|in) (?:the |our |my )?(?:office|lan|internal network|corporate network|on ?prem\w*|datacenter|branch|intranet)\b|\b(?:on ?prem\w*|office|lan) (?:to|->|=>) (?:the )?(?:outsystems |os )?cloud\b/g,
    '$& onpremtocloud',
  ],

  // Who sends the first packet: "as soon as we generate traffic from our side it works"
  [/\b(?:generat\w*|send\w*|initiat\w*|start\w*|creat\w*) (?:some |interesting |any |constant |continuous )?traffic\b/g, 'initiatetraffic'],
  [/\btim(?:e|es|ed|ing) ?out\b|\btimeouts?\b|\btimed out\b/g, 'timeout'],

  // "call": a meeting with people vs an app invoking something
  [/\b(?:a|bridge|conference|phone|video|zoom|teams|quick|webex) call\b|\bcall with\b|\bget on a call\b/g, 'meetingcall'],

  // Time patterns: "every hr", "hourly", "every 60 min" all mean the same recurring period.
  [
    /\b(?:every|each|per|once an?) (?:single )?(?:hour|hr|60 ?min\w*|3600 ?s\w*)\b|\bhourly\b|\bevery 1 ?h(?:our|r)?\b|\b60 ?min(?:ute)?s? (?:interval|period|cycle|exactly)\b|\b3600 ?s(?:ec\w*)? interval\w*\b|\bat 3600 ?s\b|\blike clockwork\b/g,
    'hourly',
  ],
  [/\b51 ?min\w*\b/g, 'fiftyoneminutes'],

  // DNS
  [
    /\bconditional (?:dns )?(?:forwarder|forwarding|fwd|forward)s?\b|\bcond(?:itional)? (?:fwd|forward(?:er|ing)?s?)\b|\bstub zones?\b|\bforward(?:ing)? zones?\b|\bforwarders?\b|\bdns forwarding\b/g,
    'forwarder',
  ],
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
  [
    /\b(?:outsystems|os|contact|call|ask|email|reach|tac|vendor|technical|customer) support\b|\bsupport (?:team|engineers?|desk|portal|staff|people|guys)\b/g,
    'supportteam',
  ],
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
  [
    /\bwho (?:do|should|can|could) (?:i|we) (?:contact|call|reach|ask|talk to|escalate to)\b|\bwho to (?:contact|call|escalate to)\b/g,
    'contactsupport',
  ],
  // Pinging "to keep it up" is a keep-alive, whatever the words; a tunnel that "keeps bouncing" flaps (to
  // bounce a tunnel, transitive, is a reset: the alias below).
  [/\bkeep(?:s|ing)? (?:on )?pinging\b|\bto keep (?:it|the tunnels?|the vpn|them) (?:up|alive)\b/g, 'keepalive'],
  [/(?<=\b(?:tunnels?|vpn|it|sas?|connection|peers?)(?: keeps?| kept| is| are| was| were)? )bouncing\b/g, 'flap'],
  [/\bfirm ?ware\b/g, 'firmware'],

  // Chat shorthands with two tokens
  [/\bthank (?:you|u)\b|\bthanks a lot\b|\bmany thanks\b/g, 'thanks'],
  [/\bwhat s up\b|\bwhats up\b|\bsup\b/g, 'hello'],
];
