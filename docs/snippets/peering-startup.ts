import { on } from '@kopf/core';

on.startup(function configure({ settings }) {
  settings.peering.name = 'my-operator'; // the peering object to use
  settings.peering.mandatory = true; // pause until it exists (what --peering does)
  settings.peering.priority = Number(process.env.PRIORITY ?? 0);
  settings.peering.stealth = true; // do not log the keep-alives
});
