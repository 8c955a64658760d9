import { createServer as createTcp, type Server } from 'node:net';
import DNS, { Packet } from 'dns2';

/** What a test DNS server answers for a name: addresses, an rcode, or silence. */
export interface Zone {
  [name: string]: { addresses?: string[]; rcode?: number; ttl?: number; cname?: string } | undefined;
}

export interface TestDnsServer {
  port: number;
  /** Questions received: name, numeric type, transport. */
  questions: { name: string; type: number; transport: 'udp' | 'tcp' }[];
  close(): Promise<void>;
}

/**
 * A dns2 UDP + TCP server on 127.0.0.1, on the same port for both (as a real server, so truncation
 * fallback is exercised for real). Unknown names get NXDOMAIN. Answers bigger than 512 bytes are
 * truncated over UDP by dns2 itself.
 */
export async function startDnsServer(zone: Zone, options: { silentUdp?: boolean; silentTcp?: boolean } = {}): Promise<TestDnsServer> {
  const questions: TestDnsServer['questions'] = [];
  const answer = (transport: 'udp' | 'tcp') => (request: DNS.Packet, send: (r: DNS.Packet) => Promise<Buffer>) => {
    const q = request.questions[0]!;
    questions.push({ name: q.name, type: q.type, transport });
    if (transport === 'udp' ? options.silentUdp : options.silentTcp) return;
    const response = Packet.createResponseFromRequest(request);
    const entry = zone[q.name.toLowerCase()];
    if (!entry) {
      response.header.rcode = Packet.RCODE.NXDOMAIN;
    } else {
      response.header.rcode = entry.rcode ?? Packet.RCODE.NOERROR;
      let owner = q.name;
      if (entry.cname) {
        response.answers.push({
          name: owner,
          type: Packet.TYPE.CNAME,
          class: Packet.CLASS.IN,
          ttl: entry.ttl ?? 60,
          domain: entry.cname,
        } as DNS.Packet.Resource);
        owner = entry.cname;
      }
      for (const address of entry.addresses ?? []) {
        response.answers.push({
          name: owner,
          type: Packet.TYPE.A,
          class: Packet.CLASS.IN,
          ttl: entry.ttl ?? 60,
          address,
        } as DNS.Packet.Resource);
      }
    }
    void send(response);
  };

  // UDP takes a free port; TCP must get the same number, which another test may hold: try again then.
  let udp: DNS.UDPServer | undefined;
  let tcp: Server | undefined;
  let port = 0;
  for (let attempt = 0; attempt < 20 && !tcp; attempt++) {
    const u = DNS.createUDPServer(answer('udp'));
    await u.listen(0, '127.0.0.1');
    port = (u.address() as { port: number }).port;
    const t: Server = DNS.createTCPServer(answer('tcp'));
    const ok = await new Promise<boolean>((resolve) => {
      t.once('error', () => resolve(false));
      t.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (ok) {
      udp = u;
      tcp = t;
    } else {
      await new Promise<void>((r) => u.close(() => r()));
    }
  }
  if (!udp || !tcp) throw new Error('no port free for both UDP and TCP');
  const [u, t] = [udp, tcp];
  return {
    port,
    questions,
    close: async () => {
      await new Promise<void>((r) => u.close(() => r()));
      await new Promise<void>((r) => t.close(() => r()));
    },
  };
}

/** A TCP listener that accepts and never says anything (a stalled server). */
export function startSilentTcp(): Promise<{ port: number; close(): Promise<void> }> {
  return startTcpListener({ endOnAccept: false });
}

/** A TCP listener on 127.0.0.1 that accepts, then closes the connection (an open port) or stays silent. */
export async function startTcpListener(options: { endOnAccept: boolean }): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<import('node:net').Socket>();
  const server = createTcp((s) => {
    sockets.add(s);
    s.on('error', () => {});
    if (options.endOnAccept) s.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
