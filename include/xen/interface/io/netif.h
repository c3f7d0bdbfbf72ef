/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Xen virtual network interface protocol (vif).
 *
 * Two rings: on tx the frontend hands the backend packets to send (one
 * request per granted fragment, plus extra-info slots); on rx it posts
 * granted pages for the backend to fill with received packets.
 *
 * Names are Xen's.  Linux has long used xen_netif_ and XEN_ prefixed
 * spellings for the same things; those are provided as aliases at the end.
 */
#ifndef __XEN_INTERFACE_IO_NETIF_H__
#define __XEN_INTERFACE_IO_NETIF_H__

#include <xen/interface/io/ring.h>
#include <xen/interface/grant_table.h>

/* Slots of one packet the backend must accept at the least. */
#define XEN_NETIF_NR_SLOTS_MIN	18

/* Largest packet on tx; size is 16 bits. */
#define XEN_NETIF_MAX_TX_SIZE	0xFFFF

/* netif_tx_request.flags */
#define _NETTXF_csum_blank	(0)	/* checksum to be filled in */
#define NETTXF_csum_blank	(1U << _NETTXF_csum_blank)
#define _NETTXF_data_validated	(1)	/* checksum already verified */
#define NETTXF_data_validated	(1U << _NETTXF_data_validated)
#define _NETTXF_more_data	(2)	/* another fragment follows */
#define NETTXF_more_data	(1U << _NETTXF_more_data)
#define _NETTXF_extra_info	(3)	/* a netif_extra_info follows */
#define NETTXF_extra_info	(1U << _NETTXF_extra_info)

/* netif_extra_info.type */
#define XEN_NETIF_EXTRA_TYPE_NONE	(0)
#define XEN_NETIF_EXTRA_TYPE_GSO	(1)
#define XEN_NETIF_EXTRA_TYPE_MCAST_ADD	(2)
#define XEN_NETIF_EXTRA_TYPE_MCAST_DEL	(3)
#define XEN_NETIF_EXTRA_TYPE_HASH	(4)
#define XEN_NETIF_EXTRA_TYPE_MAX	(5)

/* netif_extra_info.flags */
#define _XEN_NETIF_EXTRA_FLAG_MORE	(0)	/* another extra follows */
#define XEN_NETIF_EXTRA_FLAG_MORE	(1U << _XEN_NETIF_EXTRA_FLAG_MORE)

/* netif_extra_info.u.gso.type */
#define XEN_NETIF_GSO_TYPE_NONE		(0)
#define XEN_NETIF_GSO_TYPE_TCPV4	(1)
#define XEN_NETIF_GSO_TYPE_TCPV6	(2)

/* netif_rx_response.flags */
#define _NETRXF_data_validated	(0)
#define NETRXF_data_validated	(1U << _NETRXF_data_validated)
#define _NETRXF_csum_blank	(1)
#define NETRXF_csum_blank	(1U << _NETRXF_csum_blank)
#define _NETRXF_more_data	(2)
#define NETRXF_more_data	(1U << _NETRXF_more_data)
#define _NETRXF_extra_info	(3)
#define NETRXF_extra_info	(1U << _NETRXF_extra_info)
#define _NETRXF_gso_prefix	(4)	/* slot holds only GSO info */
#define NETRXF_gso_prefix	(1U << _NETRXF_gso_prefix)

/* Response status: a negative error or (rx) the bytes received. */
#define NETIF_RSP_DROPPED	-2
#define NETIF_RSP_ERROR		-1
#define NETIF_RSP_OKAY		0
#define NETIF_RSP_NULL		1	/* padding slot (extra info) */

/* One fragment to send: size bytes at offset in the granted page. */
struct netif_tx_request {
	grant_ref_t gref;
	u16 offset;
	u16 flags;			/* NETTXF_* */
	u16 id;			/* echoed in the response */
	u16 size;			/* first slot: the whole packet */
};

/* An extra-info slot, after a request with NETTXF/NETRXF_extra_info. */
struct netif_extra_info {
	u8 type;			/* XEN_NETIF_EXTRA_TYPE_* */
	u8 flags;			/* XEN_NETIF_EXTRA_FLAG_* */
	union {
		struct {
			u16 size;		/* MSS */
			u8 type;		/* XEN_NETIF_GSO_TYPE_* */
			u8 pad;
			u16 features;
		} gso;
		struct {
			u8 addr[6];
		} mcast;
		struct {
			u8 type;
			u8 algorithm;
			u8 value[4];
		} hash;
		u16 pad[3];
	} u;
};

struct netif_tx_response {
	u16 id;
	s16 status;			/* NETIF_RSP_* */
};

/* A page posted for receiving. */
struct netif_rx_request {
	u16 id;
	u16 pad;
	grant_ref_t gref;
};

struct netif_rx_response {
	u16 id;
	u16 offset;
	u16 flags;			/* NETRXF_* */
	s16 status;			/* bytes, or NETIF_RSP_* */
};

/*
 * The control ring (feature-ctrl-ring; the frontend's ctrl-ring-ref and
 * event-channel-ctrl): fixed-size requests, one response each, in any
 * order.  Used for the receive-side hash: which algorithm, over which
 * headers, with which key, and the table mapping a hash to a queue.
 */

/* Hash types: bit numbers, and the masks SET_HASH_FLAGS takes. */
#define _XEN_NETIF_CTRL_HASH_TYPE_IPV4		0	/* addresses */
#define XEN_NETIF_CTRL_HASH_TYPE_IPV4 \
	(1 << _XEN_NETIF_CTRL_HASH_TYPE_IPV4)
#define _XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP	1	/* and TCP ports */
#define XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP \
	(1 << _XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP)
#define _XEN_NETIF_CTRL_HASH_TYPE_IPV6		2
#define XEN_NETIF_CTRL_HASH_TYPE_IPV6 \
	(1 << _XEN_NETIF_CTRL_HASH_TYPE_IPV6)
#define _XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP	3
#define XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP \
	(1 << _XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP)

#define XEN_NETIF_CTRL_HASH_ALGORITHM_NONE	0
#define XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ	1

struct xen_netif_ctrl_request {
	u16 id;				/* echoed in the response */
	u16 type;			/* XEN_NETIF_CTRL_TYPE_* */
	u32 data[3];
};

#define XEN_NETIF_CTRL_TYPE_INVALID		0
#define XEN_NETIF_CTRL_TYPE_GET_HASH_FLAGS	1
#define XEN_NETIF_CTRL_TYPE_SET_HASH_FLAGS	2
#define XEN_NETIF_CTRL_TYPE_SET_HASH_KEY	3	/* gref, size */
#define XEN_NETIF_CTRL_TYPE_GET_HASH_MAPPING_SIZE 4
#define XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING_SIZE 5
#define XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING	6	/* gref, size, offset */
#define XEN_NETIF_CTRL_TYPE_SET_HASH_ALGORITHM	7
#define XEN_NETIF_CTRL_TYPE_GET_GREF_MAPPING_SIZE 8
#define XEN_NETIF_CTRL_TYPE_ADD_GREF_MAPPING	9
#define XEN_NETIF_CTRL_TYPE_DEL_GREF_MAPPING	10

struct xen_netif_ctrl_response {
	u16 id;
	u16 type;
	u32 status;			/* XEN_NETIF_CTRL_STATUS_* */
	u32 data;
};

#define XEN_NETIF_CTRL_STATUS_SUCCESS		0
#define XEN_NETIF_CTRL_STATUS_NOT_SUPPORTED	1
#define XEN_NETIF_CTRL_STATUS_INVALID_PARAMETER	2
#define XEN_NETIF_CTRL_STATUS_BUFFER_OVERFLOW	3

/* An entry of the {ADD,DEL}_GREF_MAPPING tables (which we do not serve). */
struct xen_netif_gref {
	grant_ref_t ref;
	u16 flags;			/* XEN_NETIF_CTRLF_GREF_* */
	u16 status;
};

#define _XEN_NETIF_CTRLF_GREF_readonly	0
#define XEN_NETIF_CTRLF_GREF_readonly	(1U << _XEN_NETIF_CTRLF_GREF_readonly)

DEFINE_RING_TYPES(xen_netif_ctrl, struct xen_netif_ctrl_request,
		  struct xen_netif_ctrl_response);

DEFINE_RING_TYPES(netif_tx, struct netif_tx_request, struct netif_tx_response);
DEFINE_RING_TYPES(netif_rx, struct netif_rx_request, struct netif_rx_response);

/* The Linux spellings. */
#define xen_netif_tx_request		netif_tx_request
#define xen_netif_tx_response		netif_tx_response
#define xen_netif_rx_request		netif_rx_request
#define xen_netif_rx_response		netif_rx_response
#define xen_netif_extra_info		netif_extra_info
#define xen_netif_tx_sring		netif_tx_sring
#define xen_netif_tx_front_ring		netif_tx_front_ring
#define xen_netif_tx_back_ring		netif_tx_back_ring
#define xen_netif_rx_sring		netif_rx_sring
#define xen_netif_rx_front_ring		netif_rx_front_ring
#define xen_netif_rx_back_ring		netif_rx_back_ring

#define _XEN_NETTXF_csum_blank		_NETTXF_csum_blank
#define XEN_NETTXF_csum_blank		NETTXF_csum_blank
#define _XEN_NETTXF_data_validated	_NETTXF_data_validated
#define XEN_NETTXF_data_validated	NETTXF_data_validated
#define _XEN_NETTXF_more_data		_NETTXF_more_data
#define XEN_NETTXF_more_data		NETTXF_more_data
#define _XEN_NETTXF_extra_info		_NETTXF_extra_info
#define XEN_NETTXF_extra_info		NETTXF_extra_info

#define _XEN_NETRXF_data_validated	_NETRXF_data_validated
#define XEN_NETRXF_data_validated	NETRXF_data_validated
#define _XEN_NETRXF_csum_blank		_NETRXF_csum_blank
#define XEN_NETRXF_csum_blank		NETRXF_csum_blank
#define _XEN_NETRXF_more_data		_NETRXF_more_data
#define XEN_NETRXF_more_data		NETRXF_more_data
#define _XEN_NETRXF_extra_info		_NETRXF_extra_info
#define XEN_NETRXF_extra_info		NETRXF_extra_info
#define _XEN_NETRXF_gso_prefix		_NETRXF_gso_prefix
#define XEN_NETRXF_gso_prefix		NETRXF_gso_prefix

#define XEN_NETIF_RSP_DROPPED		NETIF_RSP_DROPPED
#define XEN_NETIF_RSP_ERROR		NETIF_RSP_ERROR
#define XEN_NETIF_RSP_OKAY		NETIF_RSP_OKAY
#define XEN_NETIF_RSP_NULL		NETIF_RSP_NULL

#endif /* __XEN_INTERFACE_IO_NETIF_H__ */
