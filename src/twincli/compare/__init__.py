"""What a change to the programme does, in programme terms (`twincli diff`): two sides read from
git, the records changed, the figures that follow, and the diagnostics introduced and fixed."""
