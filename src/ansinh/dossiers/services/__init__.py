"""Every write of the dossier engine. Import from here: `from ansinh.dossiers import services`."""
