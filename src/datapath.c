// SPDX-License-Identifier: GPL-2.0
/*
 * The packet path of a VM port: everything a VM sends enters here, in
 * softirq, under RCU. One snapshot of the configuration is read per
 * packet; no lock is taken and nothing but the reply is allocated.
 */
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>

#include "datapath.h"
#include "netns.h"

/*
 * Sends @skb (network header at skb->data) to the VM behind port @to,
 * from the tenant's router MAC.
 */
void nv_xmit(const struct nv_pkt *pkt, struct sk_buff *skb,
	     const struct nv_port *to)
{
	struct net_device *dev = nv_port_dev_rcu(to);
	struct ethhdr *eth;

	if (unlikely(!dev)) {	/* detached since it was routed */
		nv_drop(pkt, skb, NETVIRT_DROP_PORT_DOWN);
		return;
	}
	if (skb_cow_head(skb, ETH_HLEN)) {
		nv_drop(pkt, skb, NETVIRT_DROP_NOMEM);
		return;
	}
	eth = skb_push(skb, ETH_HLEN);
	skb_reset_mac_header(skb);
	ether_addr_copy(eth->h_dest, to->mac);
	ether_addr_copy(eth->h_source, pkt->t->router_mac);
	eth->h_proto = skb->protocol;

	skb->dev = dev;
	skb->pkt_type = PACKET_OUTGOING;
	skb_clear_tstamp(skb);
	nv_stats_packet(to->stats, NV_TX_PACKETS, skb->len);
	nv_stats_packet(pkt->t->stats, NV_TX_PACKETS, skb->len);
	dev_queue_xmit(skb);
}

/**
 * nv_answer() - send a packet netvirt made in answer to another
 * @pkt: the packet answered
 * @nskb: the answer, network header at nskb->data, protocol set
 * @to: the port @pkt was routed to: over the overlay, the answer comes
 *	from its VM; NULL for a packet from a port
 *
 * The answer goes back where @pkt came from: to its VM's port, or over
 * the overlay to the hypervisor that sent it.
 */
void nv_answer(const struct nv_pkt *pkt, struct sk_buff *nskb,
	       const struct nv_port *to)
{
	if (pkt->port)
		nv_xmit(pkt, nskb, pkt->port);
	else if (to && pkt->sender)
		nv_tunnel_xmit(pkt, nskb, pkt->sender, to->mac, true);
	else
		kfree_skb(nskb);
}

/* The handlers below take @skb: each frees or sends it. */
static void port_rx(const struct nv_pkt *pkt, struct sk_buff *skb)
{
	enum netvirt_drop_reason reason;

	nv_stats_packet(pkt->port->stats, NV_RX_PACKETS, skb->len);
	nv_stats_packet(pkt->t->stats, NV_RX_PACKETS, skb->len);

	reason = NETVIRT_DROP_SPOOFED_MAC;
	if (!ether_addr_equal(eth_hdr(skb)->h_source, pkt->port->mac))
		goto drop;
	reason = NETVIRT_DROP_ETHERTYPE;
	if (skb_vlan_tag_present(skb))
		goto drop;
	switch (skb->protocol) {
	case htons(ETH_P_IP):
		nv_ip4_rx(pkt, skb);
		return;
	case htons(ETH_P_IPV6):
		nv_ip6_rx(pkt, skb);
		return;
	case htons(ETH_P_ARP):
		nv_arp_rx(pkt, skb);
		return;
	}
drop:
	nv_drop(pkt, skb, reason);
}

rx_handler_result_t nv_port_rx(struct sk_buff **pskb)
{
	struct sk_buff *skb = *pskb;
	const struct nv_attach *att;
	struct nv_pkt pkt = {};

	if (unlikely(skb->pkt_type == PACKET_LOOPBACK))
		return RX_HANDLER_PASS;
	skb = skb_share_check(skb, GFP_ATOMIC);
	if (!skb)
		return RX_HANDLER_CONSUMED;

	att = rcu_dereference(skb->dev->rx_handler_data);
	pkt.cfg = rcu_dereference(att->nn->config);
	/* Between attach or removal and the commit, the port is not in
	 * the snapshot yet or any more: its traffic is dropped, never
	 * passed to the host's stack.
	 */
	pkt.port = pkt.cfg ? pkt.cfg->ports[att->slot] : NULL;
	if (unlikely(!pkt.port || pkt.port->attach != att)) {
		kfree_skb(skb);
		return RX_HANDLER_CONSUMED;
	}
	pkt.t = pkt.cfg->tenants[pkt.port->tenant_slot];
	port_rx(&pkt, skb);
	return RX_HANDLER_CONSUMED;
}
