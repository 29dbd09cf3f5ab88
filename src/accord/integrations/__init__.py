"""accord talking to other tools: outbound webhooks (signed, retried from a durable outbox).

``signing`` is what a receiver needs to check a delivery; ``events`` names what accord
sends; ``delivery`` is the dispatcher that drains the outbox.  See docs/webhooks.md.
"""
