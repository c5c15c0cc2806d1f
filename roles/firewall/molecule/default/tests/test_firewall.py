"""The firewall seen from a client on the same network."""

import os

import testinfra

INVENTORY = os.environ["MOLECULE_INVENTORY_FILE"]
box = testinfra.get_host(f"ansible://fw-box?ansible_inventory={INVENTORY}")
client = testinfra.get_host(f"ansible://fw-client?ansible_inventory={INVENTORY}")
BOX_IP = box.check_output("ip -4 -o addr show dev eth0 | awk '{print $4}' | cut -d/ -f1")


def test_allowed_port_answers_the_client():
    assert client.check_output(f"nc -w 5 {BOX_IP} 8080 </dev/null") == "hello"


def test_other_port_is_dropped():
    # The listener is up (it answers on loopback) but the firewall drops the client's packets.
    assert box.check_output("nc -w 5 127.0.0.1 8081 </dev/null") == "hello"
    assert client.run(f"nc -z -w 3 {BOX_IP} 8081").rc != 0


def test_rules_loaded_and_enabled_at_boot():
    rules = box.check_output("nft list table inet djangoops")
    assert "policy drop" in rules and "tcp dport 8080 accept" in rules and "udp dport 9999 accept" in rules
    assert box.service("nftables").is_enabled
    assert box.file("/etc/nftables.conf").mode == 0o644
