import { foreignHost, foreignOrigin, isLoopback, listenUrl, reachUrl } from './localOnly';

describe('who may call a local server', () => {
  it('knows the loopback names', () => {
    for (const name of ['127.0.0.1', '127.8.9.10', 'localhost', 'LOCALHOST', '::1', '[::1]']) {
      expect(isLoopback(name)).toBe(true);
    }
    for (const name of ['0.0.0.0', '192.168.1.2', '128.0.0.1', 'localhost.evil.example', '::', '1270.0.0.1']) {
      expect(isLoopback(name)).toBe(false);
    }
  });

  it('refuses a Host that is not this machine: a rebound DNS name, garbage, none at all', () => {
    expect(foreignHost('127.0.0.1:9095')).toBeNull();
    expect(foreignHost('localhost:9095')).toBeNull();
    expect(foreignHost('[::1]:9095')).toBeNull();
    expect(foreignHost('attacker.example:9095')).toMatch(/not this machine/);
    expect(foreignHost('127.0.0.1@evil.example')).toMatch(/not this machine/);
    expect(foreignHost('')).toMatch(/not this machine/);
    expect(foreignHost(undefined)).toMatch(/not this machine/);
  });

  it('beyond loopback, takes the address it listens on and, on every address, any IP but never a name', () => {
    expect(foreignHost('192.0.2.7:9095', '192.0.2.7')).toBeNull();
    expect(foreignHost('192.0.2.8:9095', '192.0.2.7')).toMatch(/not this machine/);
    expect(foreignHost('192.0.2.8:9095', '0.0.0.0')).toBeNull();
    expect(foreignHost('receiver:9095', '0.0.0.0')).toMatch(/not this machine/);
  });

  it('takes no Origin (curl) or a page on this machine, and refuses other pages and "null"', () => {
    expect(foreignOrigin(undefined, '127.0.0.1:9464')).toBeNull();
    expect(foreignOrigin('http://127.0.0.1:3001', '127.0.0.1:9464')).toBeNull();
    expect(foreignOrigin('http://192.0.2.7:9464', '192.0.2.7:9464')).toBeNull();
    expect(foreignOrigin('https://evil.example', '127.0.0.1:9464')).toMatch(/may not call/);
    expect(foreignOrigin('null', '127.0.0.1:9464')).toMatch(/may not call/);
    expect(foreignOrigin('file:///tmp/x.html', '127.0.0.1:9464')).toMatch(/may not call/);
  });

  it('says where a server listens and where to reach it', () => {
    expect(listenUrl({ address: '0.0.0.0', family: 'IPv4', port: 9 })).toBe('http://0.0.0.0:9');
    expect(reachUrl({ address: '0.0.0.0', family: 'IPv4', port: 9 })).toBe('http://127.0.0.1:9');
    expect(reachUrl({ address: '::', family: 'IPv6', port: 9 })).toBe('http://[::1]:9');
    expect(reachUrl({ address: '::1', family: 'IPv6', port: 9 })).toBe('http://[::1]:9');
  });
});
