/**
 * Where usbmuxd listens, decided as libusbmuxd decides it: USBMUXD_SOCKET_ADDRESS `UNIX:/path`
 * (ignored on Windows) or `host:port` / `[v6]:port`; anything unusable falls back to the platform
 * default, /var/run/usbmuxd or TCP 127.0.0.1:27015 on Windows.
 */
export type UsbmuxAddress = { kind: 'unix'; path: string } | { kind: 'tcp'; host: string; port: number };

const DEFAULT_UNIX_SOCKET = '/var/run/usbmuxd';
const DEFAULT_TCP_PORT = 27015;

function defaultAddress(platform: NodeJS.Platform = process.platform): UsbmuxAddress {
  return platform === 'win32' || platform === 'cygwin' ? { kind: 'tcp', host: '127.0.0.1', port: DEFAULT_TCP_PORT } : { kind: 'unix', path: DEFAULT_UNIX_SOCKET };
}

export function resolveUsbmuxAddress(env: Record<string, string | undefined> = process.env, platform: NodeJS.Platform = process.platform): UsbmuxAddress {
  const value = env.USBMUXD_SOCKET_ADDRESS;
  if (value) {
    if (value.startsWith('UNIX:')) {
      if (platform !== 'win32' && platform !== 'cygwin' && value.length > 5) return { kind: 'unix', path: value.slice(5) };
    } else {
      const colon = value.lastIndexOf(':');
      const portText = colon >= 0 ? value.slice(colon + 1) : '';
      const port = /^[+-]?\d+$/.test(portText) ? Number(portText) : NaN;
      if (colon >= 0 && port > 0 && port < 65536) {
        let host = value.slice(0, colon);
        if (host.startsWith('[')) {
          host = host.slice(1);
          const close = host.lastIndexOf(']');
          if (close >= 0) host = host.slice(0, close);
        }
        if (host !== '') return { kind: 'tcp', host, port };
      }
    }
  }
  return defaultAddress(platform);
}

export function describeAddress(a: UsbmuxAddress): string {
  return a.kind === 'unix' ? a.path : `${a.host.includes(':') ? `[${a.host}]` : a.host}:${a.port}`;
}
