"""(stub: to be written)"""
