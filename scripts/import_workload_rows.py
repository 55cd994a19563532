#!/usr/bin/env python3
# Converts measured rows collected as JSON lines (workload, model, gpu, engine, precision, params,
# metric, value, source, quote, notes) into data/workloads.json benchmark rows: catalog ids for
# GPUs, models and engines, the figure in one of the catalog units, and why a row is excluded.
# python3 scripts/import_workload_rows.py ROWS.jsonl workload_rows.json, then
# python3 scripts/make_workloads_json.py workload_rows.json
import json, re, collections, sys
rows=[json.loads(l) for l in open(sys.argv[1] if len(sys.argv) > 1 else 'issue14_rows.jsonl') if l.strip()]
GPU = {'RTX 4090':'rtx-4090','RTX 4090 24GB':'rtx-4090','RTX 3090':'rtx-3090','RTX 3090 24GB':'rtx-3090',
 'A100':'a100-80gb-sxm','V100':'v100-32gb-sxm2','V100 SXM2 16GB':'v100-32gb-sxm2','A100 SXM4 80GB':'a100-80gb-sxm','A100 80GB SXM':'a100-80gb-sxm',
 'A100 80GB':'a100-80gb-sxm','A100 40GB':'a100-40gb-sxm','A100 SXM4 40GB':'a100-40gb-sxm','A100 PCIe 40GB':'a100-40gb-pcie',
 'A100 80GB PCIe':'a100-80gb-pcie','T4':'t4','T4 16GB':'t4','RTX 4080':'rtx-4080','H100':'h100-sxm','H100 80GB':'h100-sxm',
 'H100 80GB HBM3':'h100-sxm','H100 SXM':'h100-sxm','H100 PCIe':'h100-pcie','H100 PCIe 80GB':'h100-pcie','L40S':'l40s',
 'RTX 5090':'rtx-5090','RTX 5090 32GB':'rtx-5090','A100 80GB (leaderboard standard hardware; not restated in blog)':'a100-80gb-sxm',
 'L4':'l4','RTX A6000':'rtx-a6000','A10':'a10','A10G':'a10g','RTX 6000 Ada':'rtx-6000-ada','RTX A5000':'rtx-a5000',
 'RTX 4060 Ti 16GB':'rtx-4060-ti-16gb','RTX PRO 6000 96GB':'rtx-pro-6000'}
GPU_NOTE = {'A100':'GPU stated as A100 (variant not stated; taken as the 80GB SXM: the same tensor peak as every A100)',
            'H100':'GPU stated as H100 (taken as SXM)','H100 80GB':'GPU stated as H100 80GB (taken as SXM)','V100 SXM2 16GB':'V100 SXM2 16GB: the catalog\'s 32GB SXM2 has the same peak and bandwidth'}
MODEL = {'SD 1.4 (CompVis/stable-diffusion-v1-4; same UNet as SD 1.5)':'sd-1.5','SD 1.5':'sd-1.5','SDXL base 1.0':'sdxl-base-1.0','FLUX.1-dev':'flux.1-dev','FLUX.1-schnell':'flux.1-schnell',
 'SD 3.5 large':'sd-3.5-large','SD 3.5 medium':'sd-3.5-medium',
 'whisper-large-v2':'whisper-large-v2','whisper-large-v3':'whisper-large-v3','whisper-large-v3-turbo':'whisper-large-v3-turbo',
 'whisper-medium':'whisper-medium','whisper-small':'whisper-small','distil-whisper-large-v3':'distil-large-v3',
 'BAAI/bge-large-en-v1.5':'bge-large-en-v1.5','BAAI/bge-base-en-v1.5':'bge-base-en-v1.5','BAAI/bge-small-en-v1.5':'bge-small-en-v1.5',
 'nomic-ai/nomic-embed-text-v1.5':'nomic-embed-text-v1.5','Qwen/Qwen3-Embedding-0.6B':'qwen3-embedding-0.6b',
 'Qwen/Qwen3-Embedding-4B':'qwen3-embedding-4b','Qwen/Qwen3-Embedding-8B':'qwen3-embedding-8b',
 'intfloat/e5-large-v2':'e5-large-v2','intfloat/e5-base-v2':'e5-base-v2','thenlper/gte-large':'gte-large','thenlper/gte-base':'gte-base'}
def engine_of(w, e):
    l=e.lower()
    if w=='image':
        if 'tensorrt' in l: return 'tensorrt'
        if 'comfy' in l: return 'comfyui'
        if any(k in l for k in ['compile','stable fast','stable-fast','onediff','oneflow','aitemplate','xdit + torch']): return 'diffusers-compiled'
        return 'diffusers'
    if w=='speech':
        if any(k in l for k in ['faster-whisper','ctranslate2','whisperx']): return 'faster-whisper'
        if 'whisper.cpp' in l: return 'whisper.cpp'
        if 'tensorrt-llm' in l: return 'tensorrt-llm'
        if 'openai/whisper' in l or 'openai-whisper' in l: return 'openai-whisper'
        if 'transformers' in l: return 'transformers'
        return None
    if 'onnx' in l: return 'onnxruntime'
    if 'tei' in l or 'text-embeddings-inference' in l: return 'tei'
    if 'infinity' in l and 'tensorrt' not in l: return 'infinity'
    if 'sentence-transformers' in l or 'transformers' in l or 'pytorch' in l: return 'sentence-transformers'
    return None
def precision(p):
    p=(p or '').lower()
    if p.startswith('not stated (sentence-transformers default fp32'): return 'fp32', ''
    if p.startswith('fp16') or p.startswith('not stated (faster-whisper default') or p.startswith('not stated (fp16'): return 'fp16', ''
    if p.startswith('bf16 +') or 'fp8' in p or 'int8' in p or '4-bit' in p or 'quant' in p:
        if p.startswith('int8'): return 'int8', ''
        return 'fp16', 'quantized weights or activations (' + p + '): not modelled'
    if p.startswith('bf16'): return 'bf16', ''
    if p.startswith('fp32'): return 'fp32', ''
    return 'fp16', ''
EXCL_ENGINE = ['cache','lcm','tiny','consistency decoder','cfg cut','offload','vae slicing','precomputed','parallel','fbcache','teacache']
out=[]; skipped=collections.Counter(); ids=collections.Counter()
for r in rows:
    w=r['workload']; g=GPU.get(r['gpu']); m=MODEL.get(r['model'])
    if not g: skipped['gpu '+r['gpu']]+=1; continue
    if not m: skipped['model '+r['model']]+=1; continue
    e=engine_of(w, r['engine'])
    if not e: skipped['engine '+r['engine']]+=1; continue
    p=r.get('params',{}); prec, why = precision(r.get('precision'))
    b={'workload':w,'model':m,'gpu':g,'engine':e,'weights':prec}
    excluded = why
    bs=p.get('batch_size')
    if isinstance(bs,(int,float)): b['batch_size']=bs
    metric=r['metric']; v=r['value']
    if not isinstance(v,(int,float)) or v<=0: skipped['value']+=1; continue
    if w=='image':
        if p.get('refiner_steps') or p.get('refiner_fraction'): skipped['refiner']+=1; continue
        for k in ('width','height','steps'):
            if isinstance(p.get(k),(int,float)): b[k]=p[k]
        if 'steps' not in b: excluded = excluded or 'steps not stated'
        if metric=='iterations_per_s': unit='steps_per_s'
        elif metric=='seconds_per_image': unit='seconds_per_image'
        elif metric=='seconds_per_batch': unit='seconds_per_image'; v=v/ b.get('batch_size',1)
        else: skipped['metric '+metric]+=1; continue
        if prec=='fp32': excluded = excluded or 'fp32: PyTorch runs convolutions on TF32 tensor cores but matmuls in FP32 by default, a mix not modelled'
        if any(k in r['engine'].lower() for k in EXCL_ENGINE): excluded = excluded or 'a step-skipping or output-changing trick (' + r['engine'] + '): not the pipeline modelled'
    elif w=='speech':
        a=p.get('audio_seconds'); beam=p.get('beam_size')
        if isinstance(a,(int,float)): b['audio_seconds']=a
        if isinstance(beam,(int,float)): b['beam_size']=beam
        if metric=='wall_seconds_to_transcribe':
            if not isinstance(a,(int,float)): skipped['no audio']+=1; continue
            unit='real_time_factor'; v=a/v
        elif metric=='real_time_factor': unit='real_time_factor'; v=1/v
        elif metric in ('inverse_real_time_factor_RTFx','speed_x_realtime'): unit='real_time_factor'
        else: skipped['metric '+metric]+=1; continue
        extra=''
        if 'beam_size' not in b:
            default={'faster-whisper':5,'openai-whisper':5,'whisper.cpp':5,'transformers':1,'tensorrt-llm':1}[e]
            b['beam_size']=default; extra+='beam size not stated: the engine default (%d) assumed. ' % default
        if 'audio_seconds' not in b:
            b['audio_seconds']=3600; extra+='audio length not stated: estimated as a long recording (3600 s). '
        r['notes']=extra+(r.get('notes') or '')
        if 'vad' in r['engine'].lower(): excluded = excluded or 'voice activity detection skips silence: less audio decoded than stated'
    else:
        if 'tensorrt' in r['engine'].lower(): excluded = excluded or 'TensorRT behind Infinity: engine not in the catalog'
        st=p.get('sequence_tokens')
        if metric=='requests_per_s':
            spr=p.get('sentences_per_request'); tpr=p.get('tokens_per_request')
            if not (isinstance(spr,(int,float)) and isinstance(tpr,(int,float))): skipped['req']+=1; continue
            v=v*spr; st=tpr/spr; unit='sequences_per_s'
        elif metric=='sequences_per_s': unit='sequences_per_s'
        else: skipped['metric '+metric]+=1; continue
        if isinstance(st,(int,float)): b['sequence_tokens']=round(st)
        else: excluded = excluded or 'sequence length not stated'
        if 'batch_size' not in b: excluded = excluded or 'batch size not stated'
    b['value']=round(v,6); b['unit']=unit
    src=r['source']
    b['source']=src
    note=(r.get('notes') or '')
    if r['gpu'] in GPU_NOTE: note = GPU_NOTE[r['gpu']] + '. ' + note
    b['notes']=('engine: ' + r['engine'] + ' ' + (r.get('engine_version') or '') + '; precision: ' + str(r.get('precision')) + '; quote: ' + (r.get('quote') or '') + '. ' + note).strip()[:600]
    if excluded: b['excluded']=excluded
    base=f"{w}-{m}-{g}-{e}"
    ids[base]+=1
    b['id']=f"{base}-{ids[base]}"
    out.append(b)
print(len(out), skipped.most_common(40))
for w in ['image','speech','embedding']:
    inc=[b for b in out if b['workload']==w and 'excluded' not in b]
    print(w, 'rows', len([b for b in out if b['workload']==w]), 'counted', len(inc), 'sources', len(set(b['source'].split(' ')[0] for b in inc)))
order=['id','workload','model','gpu','gpu_count','engine','weights','batch_size','width','height','steps','audio_seconds','beam_size','sequence_tokens','value','unit','source','date','notes','excluded']
out=[{k:b[k] for k in order if k in b} for b in out]
json.dump(out, open(sys.argv[2] if len(sys.argv) > 2 else 'workload_rows.json','w'), indent=1)
