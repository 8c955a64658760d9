/**
 * Real log text for the shared-file tests. Source: VyOS documentation, "Troubleshooting IPsec" page
 * (vyos/vyos-documentation), initiator side of a traffic-selector mismatch; strongSwan charon lines as
 * VyOS logs them. Used as the content of an uploaded .log file.
 */
export const CHARON_TS_UNACCEPTABLE_LOG = [
  'Jun 23 14:13:17 charon[4996]: 11[IKE] <PEER|1> received TS_UNACCEPTABLE notify, no CHILD_SA built',
  'Jun 23 14:13:17 charon-systemd[4996]: maximum IKE_SA lifetime 29437s',
  'Jun 23 14:13:17 charon[4996]: 11[IKE] <PEER|1> failed to establish CHILD_SA, keeping IKE_SA',
  'Jun 23 14:13:17 charon-systemd[4996]: received TS_UNACCEPTABLE notify, no CHILD_SA built',
  'Jun 23 14:13:17 charon-systemd[4996]: failed to establish CHILD_SA, keeping IKE_SA',
  '',
].join('\n');

/** The first bytes of a PDF (what "report.pdf" would start with), padded: binary, with NUL bytes. */
export const PDF_BYTES = Buffer.concat([
  Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1'),
  Buffer.alloc(64, 0),
  Buffer.from('1 0 obj\n'),
]);
