import { addressRefusal, classifyAddress } from './public-address';

// The SSRF guard's table (docs/security.md, B8): which addresses a URL that a user gives may reach.

describe('classifyAddress: only public unicast addresses are public', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'shared (CGNAT)'],
    ['100.127.255.255', 'shared (CGNAT)'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['192.0.2.10', 'reserved'],
    ['198.18.0.1', 'reserved'],
  ])('IPv4 %s is %s', (address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.15.255.255', '172.32.0.1', '100.63.255.255', '100.128.0.1', '93.184.216.34'])(
    'IPv4 %s is public',
    (address) => {
      expect(classifyAddress(address)).toBe('public');
    },
  );

  it.each([
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::', 'unspecified'],
    ['fc00::1', 'private'],
    ['fd12:3456:789a::1', 'private'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf::1', 'link-local'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'reserved'],
  ])('IPv6 %s is %s', (address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
  });

  it.each(['2a00:1450:4010:c05::8b', '2606:4700::6810:84e5', '[2a02:6b8::2:242]'])('IPv6 %s is public', (address) => {
    expect(classifyAddress(address)).toBe('public');
  });

  it.each([
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['[::ffff:7f00:1]', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::127.0.0.1', 'loopback'],
    ['64:ff9b::a9fe:a9fe', 'link-local'],
    ['2002:7f00:1::', 'loopback'],
    ['2002:c0a8:101::1', 'private'],
  ])('an IPv4 address inside IPv6 (%s) is judged as the IPv4 address it reaches: %s', (address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
  });

  it.each(['::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1'])(
    'a public IPv4 address inside IPv6 (%s) is public',
    (address) => {
      expect(classifyAddress(address)).toBe('public');
    },
  );

  it('a name, or anything that is not an IP address, fails closed', () => {
    expect(classifyAddress('localhost')).toBe('reserved');
    expect(classifyAddress('')).toBe('reserved');
    expect(classifyAddress('127.1')).toBe('reserved');
  });

  it('addressRefusal says what the address is, and nothing for a public one', () => {
    expect(addressRefusal('169.254.169.254')).toBe(
      '169.254.169.254 is a link-local address (cloud metadata lives there)',
    );
    expect(addressRefusal('::ffff:127.0.0.1')).toBe('::ffff:127.0.0.1 is a loopback address');
    expect(addressRefusal('8.8.8.8')).toBeNull();
  });
});
